package dev.switchboard.dialect.rtc;

import dev.switchboard.common.JsonText;
import dev.switchboard.dialect.Decoded;
import dev.switchboard.hub.entity.Frame;

import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;

import java.util.ArrayList;
import java.util.List;

/**
 * The rtc dialect's envelope {@code {type, data, id?, timestamp?, metadata?}} (spec/rtc.md, Message Format):
 * decoding inbound text into {@link Inbound} or an {@link Invalid} 400, reading typed fields of {@code data},
 * and encoding outbound frames once.
 */
final class RtcCodec {

    /** A well-formed envelope; {@code data} is JSON {@code null} when absent, {@code id} and {@code metadata} may be null. */
    record Inbound(String type, JsonValue data, String id, JsonObject metadata) {
    }

    /** A client message the server cannot act on: answered with {@code Error 400} naming the field. */
    static final class Invalid extends Exception {
        private final String field;

        Invalid(String field, String message) {
            super(message, null, false, false);
            this.field = field;
        }

        String field() {
            return field;
        }
    }

    static final int BAD_REQUEST = 400;
    /** A refused envelope's code in its {@link Decoded.Refused}: always a bad request. */
    static final String BAD_REQUEST_CODE = "400";
    static final int UNAUTHORIZED = 401;
    static final int FORBIDDEN = 403;
    static final int NOT_FOUND = 404;
    static final int TOO_MANY_REQUESTS = 429;
    static final int INTERNAL_ERROR = 500;
    static final int UNAVAILABLE = 503;

    private static final int MAX_ECHOED = 64;

    private RtcCodec() {
    }

    static Decoded<Inbound> decode(String text) {
        JsonValue value;
        try {
            value = JsonText.parse(text);
        } catch (JsonParsingException e) {
            return Decoded.refused(BAD_REQUEST_CODE, "Malformed JSON: " + e.getMessage(), null);
        } catch (JsonException e) {
            return Decoded.refused(BAD_REQUEST_CODE, "Malformed JSON", null);
        }
        if (!(value instanceof JsonObject object)) {
            return Decoded.refused(BAD_REQUEST_CODE, "A message must be a JSON object {type, data, id, timestamp}", null);
        }
        if (!(object.get("type") instanceof JsonString type) || type.getString().isBlank()) {
            return Decoded.refused(BAD_REQUEST_CODE, "Field 'type' must be a non-empty string", "type");
        }
        JsonValue id = object.get("id");
        if (id != null && id != JsonValue.NULL && !(id instanceof JsonString)) {
            return Decoded.refused(BAD_REQUEST_CODE, "Field 'id' must be a string", "id");
        }
        if (id instanceof JsonString s && s.getString().length() > 256) {
            return Decoded.refused(BAD_REQUEST_CODE, "Field 'id' must be at most 256 characters", "id");
        }
        JsonValue timestamp = object.get("timestamp");
        if (timestamp != null && timestamp != JsonValue.NULL && !(timestamp instanceof JsonNumber)) {
            return Decoded.refused(BAD_REQUEST_CODE, "Field 'timestamp' must be a number", "timestamp");
        }
        JsonValue metadata = object.get("metadata");
        if (metadata != null && metadata != JsonValue.NULL && !(metadata instanceof JsonObject)) {
            return Decoded.refused(BAD_REQUEST_CODE, "Field 'metadata' must be an object", "metadata");
        }
        String nul = JsonText.nulPath(text, object);
        if (nul != null) {
            return Decoded.refused(BAD_REQUEST_CODE, "Field '" + nul + "' contains U+0000, which strings may not hold", nul);
        }
        return Decoded.message(new Inbound(type.getString(), object.getOrDefault("data", JsonValue.NULL),
                id instanceof JsonString s ? s.getString() : null,
                metadata instanceof JsonObject m ? m : null));
    }

    /** The message id a reply should carry: the client's {@code id} when it sent one. */
    static String idOf(String text) {
        try {
            if (JsonText.parse(text) instanceof JsonObject o && o.get("id") instanceof JsonString s && s.getString().length() <= 256) {
                return s.getString();
            }
        } catch (JsonException e) {
            // not JSON: no id to echo
        }
        return null;
    }

    static JsonObject object(JsonValue data, String what) throws Invalid {
        if (!(data instanceof JsonObject o)) {
            throw new Invalid("data", "Field 'data' must be an object " + what);
        }
        return o;
    }

    static String string(JsonObject data, String field, int maxLength) throws Invalid {
        JsonValue v = data.get(field);
        if (v == null || v == JsonValue.NULL) {
            throw new Invalid(field, "Field '" + field + "' is required");
        }
        if (!(v instanceof JsonString s) || s.getString().isBlank()) {
            throw new Invalid(field, "Field '" + field + "' must be a non-empty string");
        }
        if (s.getString().length() > maxLength) {
            throw new Invalid(field, "Field '" + field + "' must be at most " + maxLength + " characters");
        }
        return s.getString();
    }

    /** A present value of any JSON type but {@code null}. */
    static JsonValue required(JsonObject data, String field) throws Invalid {
        JsonValue v = data.get(field);
        if (v == null || v == JsonValue.NULL) {
            throw new Invalid(field, "Field '" + field + "' is required");
        }
        return v;
    }

    static List<String> strings(JsonObject data, String field, int maxItems) throws Invalid {
        if (!(data.get(field) instanceof JsonArray array)) {
            throw new Invalid(field, "Field '" + field + "' must be an array of strings");
        }
        if (array.isEmpty()) {
            throw new Invalid(field, "Field '" + field + "' must not be empty");
        }
        if (array.size() > maxItems) {
            throw new Invalid(field, "Field '" + field + "' holds more than " + maxItems + " items");
        }
        List<String> out = new ArrayList<>(array.size());
        for (JsonValue v : array) {
            if (!(v instanceof JsonString s)) {
                throw new Invalid(field, "Field '" + field + "' must be an array of strings");
            }
            out.add(s.getString());
        }
        return out;
    }

    /** An optional object field; {@code null} when absent. */
    static JsonObject optionalObject(JsonObject data, String field) throws Invalid {
        JsonValue v = data.get(field);
        if (v == null || v == JsonValue.NULL) {
            return null;
        }
        if (!(v instanceof JsonObject o)) {
            throw new Invalid(field, "Field '" + field + "' must be an object");
        }
        return o;
    }

    static Frame encode(String type, JsonValue data) {
        return Frame.of(JsonText.object().add("type", type).add("data", data == null ? JsonValue.NULL : data).build().toString());
    }

    static Frame encode(String type, JsonObjectBuilder data) {
        return encode(type, data.build());
    }

    static String truncate(String s) {
        return s.length() <= MAX_ECHOED ? s : s.substring(0, MAX_ECHOED) + "...";
    }
}
