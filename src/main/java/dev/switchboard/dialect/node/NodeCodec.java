package dev.switchboard.dialect.node;

import dev.switchboard.dialect.JsonText;
import dev.switchboard.hub.entity.Frame;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;


/**
 * The node dialect's envelope {@code {type, payload, timestamp}} (spec/node.md, Message Structure):
 * decoding inbound frames into {@link Inbound} or a {@link Malformed} reason, and encoding outbound frames once.
 */
final class NodeCodec {

    /** A well-formed inbound message; {@code payload} is JSON {@code null} when absent. */
    record Inbound(String type, JsonValue payload) {
    }

    /** Why an inbound frame was refused: the error frame's code and text. */
    record Malformed(String code, String error) {
    }

    static final String INVALID_JSON = "INVALID_JSON";
    static final String INVALID_MESSAGE = "INVALID_MESSAGE";
    static final String UNKNOWN_TYPE = "UNKNOWN_TYPE";
    static final String RATE_LIMITED = "RATE_LIMITED";

    private NodeCodec() {
    }

    /** @return an {@link Inbound} or a {@link Malformed} */
    static Object decode(String text) {
        JsonValue value;
        try {
            value = JsonText.parse(text);
        } catch (JsonParsingException e) {
            return new Malformed(INVALID_JSON, "Malformed JSON: " + e.getMessage());
        } catch (JsonException e) {
            return new Malformed(INVALID_JSON, "Malformed JSON");
        }
        if (!(value instanceof JsonObject object)) {
            return new Malformed(INVALID_MESSAGE, "A message must be a JSON object {type, payload, timestamp}");
        }
        if (!(object.get("type") instanceof JsonString type) || type.getString().isBlank()) {
            return new Malformed(INVALID_MESSAGE, "Field 'type' must be a non-empty string");
        }
        JsonValue payload = object.getOrDefault("payload", JsonValue.NULL);
        JsonValue timestamp = object.get("timestamp");
        if (timestamp != null && timestamp.getValueType() != JsonValue.ValueType.NUMBER
                && timestamp.getValueType() != JsonValue.ValueType.NULL) {
            return new Malformed(INVALID_MESSAGE, "Field 'timestamp' must be a number");
        }
        return new Inbound(type.getString(), payload);
    }

    static Frame encode(String type, JsonValue payload) {
        return Frame.of(JsonText.object()
                .add("type", type)
                .add("payload", payload == null ? JsonValue.NULL : payload)
                .add("timestamp", System.currentTimeMillis() / 1000)
                .build()
                .toString());
    }

    static Frame encode(String type, JsonObjectBuilder payload) {
        return encode(type, payload.build());
    }

    static Frame error(String code, String error) {
        return encode("error", JsonText.object().add("error", error).add("code", code));
    }
}
