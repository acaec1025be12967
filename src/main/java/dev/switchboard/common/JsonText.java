package dev.switchboard.common;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import java.io.StringReader;
import java.util.Map;

/**
 * JSON-P factories resolved once. {@code Json.createReader} and friends look the provider up on every call,
 * which costs more than parsing a small frame; every codec on a hot path goes through here instead.
 */
public final class JsonText {

    private static final JsonProvider PROVIDER = JsonProvider.provider();
    private static final JsonReaderFactory READERS = PROVIDER.createReaderFactory(Map.of());
    private static final JsonBuilderFactory BUILDERS = PROVIDER.createBuilderFactory(Map.of());

    private JsonText() {
    }

    /** Parses one JSON value; throws {@link jakarta.json.JsonException} (or its parsing subclass) when malformed. */
    public static JsonValue parse(String text) {
        try (var reader = READERS.createReader(new StringReader(text))) {
            return reader.readValue();
        }
    }

    /**
     * Where a parsed message holds U+0000 in a string or a key (dotted path, array indices as numbers), or null.
     * PostgreSQL's text cannot store it, so a message carrying one is refused before it reaches a query. JSON can
     * only carry it escaped, so {@code text} without {@code \u0000} is passed without walking the value.
     */
    public static String nulPath(String text, JsonValue value) {
        String path = text.contains("\\u0000") ? nulPath(value, "") : null;
        return path == null || path.length() <= 64 ? path : path.substring(0, 64) + "...";
    }

    private static String nulPath(JsonValue value, String at) {
        switch (value.getValueType()) {
            case STRING -> {
                return ((jakarta.json.JsonString) value).getString().indexOf('\0') >= 0 ? at : null;
            }
            case OBJECT -> {
                for (Map.Entry<String, JsonValue> e : value.asJsonObject().entrySet()) {
                    String path = at.isEmpty() ? e.getKey() : at + "." + e.getKey();
                    if (e.getKey().indexOf('\0') >= 0) {
                        return path.replace("\0", "\\u0000");
                    }
                    String inner = nulPath(e.getValue(), path);
                    if (inner != null) {
                        return inner;
                    }
                }
                return null;
            }
            case ARRAY -> {
                var array = value.asJsonArray();
                for (int i = 0; i < array.size(); i++) {
                    String inner = nulPath(array.get(i), at.isEmpty() ? String.valueOf(i) : at + "." + i);
                    if (inner != null) {
                        return inner;
                    }
                }
                return null;
            }
            default -> {
                return null;
            }
        }
    }

    public static JsonObjectBuilder object() {
        return BUILDERS.createObjectBuilder();
    }

    public static JsonArrayBuilder array() {
        return BUILDERS.createArrayBuilder();
    }
}
