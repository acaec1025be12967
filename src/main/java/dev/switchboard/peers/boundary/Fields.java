package dev.switchboard.peers.boundary;

import dev.switchboard.common.ApiErrors;
import dev.switchboard.common.JsonText;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.core.Response;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads one request body of the peers API, bounded, and its fields, collecting every fault so that one 400 names
 * them all ({@code {"error": "Validation failed", "fields": {...}}}). Unknown fields are faults too: a misspelt
 * {@code is_relay} must not silently become false.
 */
final class Fields {

    /** Peer ids (libp2p's base58, 0x hex, or any name of that alphabet), session ids. */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:+=-]{0,127}");
    static final String ID_RULE = "1 to 128 characters: letters, digits and . _ : + = -, starting with a letter or digit";

    private final JsonObject o;
    private final Map<String, String> faults = new LinkedHashMap<>();

    private Fields(JsonObject o) {
        this.o = o;
    }

    /** The body as a JSON object; 413 past {@code max} bytes, 400 for anything but a UTF-8 JSON object. */
    static Fields read(InputStream in, int max, Set<String> known) {
        byte[] bytes = readAtMost(in, max);
        if (bytes == null) {
            throw ApiErrors.of(Response.Status.REQUEST_ENTITY_TOO_LARGE, "Request body over " + max + " bytes");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw ApiErrors.of(Response.Status.BAD_REQUEST, "Request body is not UTF-8");
        }
        if (text.isBlank()) {
            throw ApiErrors.invalid(Map.of("body", "a JSON object is required"));
        }
        JsonValue value = JsonText.parse(text);
        if (!(value instanceof JsonObject object)) {
            throw ApiErrors.invalid(Map.of("body", "must be a JSON object"));
        }
        Fields f = new Fields(object);
        for (String key : object.keySet()) {
            if (!known.contains(key)) {
                f.faults.put(key.length() > 64 ? key.substring(0, 64) + "…" : key, "unknown field");
            }
        }
        return f;
    }

    private static byte[] readAtMost(InputStream in, int max) {
        if (in == null) {
            return new byte[0];
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(max, 1024));
            byte[] buffer = new byte[4096];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (out.size() + n > max) {
                    return null;
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean has(String key) {
        JsonValue v = o.get(key);
        return v != null && v != JsonValue.NULL;
    }

    void fault(String key, String problem) {
        faults.putIfAbsent(key, problem);
    }

    /** Throws the 400 when any field was faulty. */
    void check() {
        if (!faults.isEmpty()) {
            throw ApiErrors.invalid(faults);
        }
    }

    String id(String key, boolean required) {
        String s = text(key, required, 128, false);
        if (s != null && !ID.matcher(s).matches()) {
            fault(key, ID_RULE);
            return null;
        }
        return s;
    }

    /** A string of 1 to {@code max} characters without control characters; null when absent or faulty. */
    String text(String key, boolean required, int max, boolean blankAllowed) {
        JsonValue v = o.get(key);
        if (v == null || v == JsonValue.NULL) {
            if (required) {
                fault(key, "required");
            }
            return null;
        }
        if (!(v instanceof JsonString js)) {
            fault(key, "must be a string");
            return null;
        }
        String s = js.getString();
        if (!blankAllowed && s.isBlank()) {
            fault(key, "must not be blank");
            return null;
        }
        if (s.length() > max) {
            fault(key, "at most " + max + " characters");
            return null;
        }
        if (s.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            fault(key, "must not contain control characters");
            return null;
        }
        return s;
    }

    boolean bool(String key, boolean fallback) {
        JsonValue v = o.get(key);
        if (v == null || v == JsonValue.NULL) {
            return fallback;
        }
        if (v == JsonValue.TRUE) {
            return true;
        }
        if (v != JsonValue.FALSE) {
            fault(key, "must be true or false");
        }
        return false;
    }

    /** A whole number in [min, max]; {@code fallback} when absent. */
    long integer(String key, long min, long max, long fallback, boolean required) {
        JsonValue v = o.get(key);
        if (v == null || v == JsonValue.NULL) {
            if (required) {
                fault(key, "required");
            }
            return fallback;
        }
        if (!(v instanceof JsonNumber n) || !n.isIntegral() || n.bigDecimalValue().compareTo(BigDecimal.valueOf(min)) < 0
                || n.bigDecimalValue().compareTo(BigDecimal.valueOf(max)) > 0) {
            fault(key, "a whole number from " + min + " to " + max);
            return fallback;
        }
        return n.longValue();
    }

    /** A number in [min, max]; {@code fallback} when absent. */
    BigDecimal decimal(String key, BigDecimal min, BigDecimal max, BigDecimal fallback) {
        JsonValue v = o.get(key);
        if (v == null || v == JsonValue.NULL) {
            return fallback;
        }
        if (!(v instanceof JsonNumber n) || n.bigDecimalValue().compareTo(min) < 0 || n.bigDecimalValue().compareTo(max) > 0
                || n.bigDecimalValue().scale() > 12) {
            fault(key, "a number from " + min.toPlainString() + " to " + max.toPlainString() + " (at most 12 decimals)");
            return fallback;
        }
        return n.bigDecimalValue();
    }

    /** Unix seconds, not more than a minute ahead of this server's clock unless {@code future}. */
    Instant time(String key, boolean required, boolean future) {
        long max = future ? 253402300799L : Instant.now().getEpochSecond() + 60;
        long s = integer(key, 0, max, -1, required);
        if (s < 0) {
            return null;
        }
        return Instant.ofEpochSecond(s);
    }

    /** An array of 0 to {@code maxItems} strings of 1 to {@code maxLength} characters, duplicates dropped. */
    List<String> strings(String key, int maxItems, int maxLength) {
        JsonValue v = o.get(key);
        if (v == null || v == JsonValue.NULL) {
            return List.of();
        }
        if (!(v instanceof JsonArray a)) {
            fault(key, "must be an array of strings");
            return List.of();
        }
        if (a.size() > maxItems) {
            fault(key, "at most " + maxItems + " items");
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            JsonValue item = a.get(i);
            if (!(item instanceof JsonString s) || s.getString().isBlank() || s.getString().length() > maxLength
                    || s.getString().chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                fault(key + "[" + i + "]", "a non-blank string of at most " + maxLength + " characters without control characters");
                return List.of();
            }
            if (!out.contains(s.getString())) {
                out.add(s.getString());
            }
        }
        return List.copyOf(out);
    }

    /** A JSON object whose text is at most {@code maxChars}; "{}" when absent. */
    String object(String key, int maxChars) {
        JsonValue v = o.get(key);
        if (v == null || v == JsonValue.NULL) {
            return "{}";
        }
        if (!(v instanceof JsonObject obj)) {
            fault(key, "must be a JSON object");
            return "{}";
        }
        String text = obj.toString();
        if (text.length() > maxChars) {
            fault(key, "at most " + maxChars + " characters of JSON");
            return "{}";
        }
        return text;
    }
}
