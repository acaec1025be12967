package dev.switchboard.dialect.node;

import dev.switchboard.common.JsonText;
import dev.switchboard.dialect.Decoded;
import dev.switchboard.hub.entity.Frame;
import dev.switchboard.service.control.ServiceSearch;
import dev.switchboard.service.entity.ServiceType;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;


/**
 * The node dialect's envelope {@code {type, payload, timestamp}} (spec/node.md, Message Structure):
 * decoding inbound frames into a {@link Decoded} {@link Inbound}, and encoding outbound frames once (the error
 * frames are {@link NodeFrames}'s).
 */
final class NodeCodec {

    /**
     * A well-formed inbound message; {@code payload} is JSON {@code null} when absent. {@code data} is set when a
     * large message's {@code payload.data} string was split off (then {@code payload} holds it as {@code ""}).
     */
    record Inbound(String type, JsonValue payload, DataSpan data) {
    }

    static final String INVALID_JSON = "INVALID_JSON";
    static final String INVALID_MESSAGE = "INVALID_MESSAGE";
    static final String UNKNOWN_TYPE = "UNKNOWN_TYPE";
    static final String RATE_LIMITED = "RATE_LIMITED";

    private NodeCodec() {
    }

    static Decoded<Inbound> decode(String text) {
        var split = DataSpan.split(text);
        if (split.isPresent()) {
            Decoded<Inbound> skeleton = decode(split.get().skeleton(), split.get().data());
            if (skeleton instanceof Decoded.Message) {
                return skeleton;
            }
            // the whole text answers for itself, so a fault reads the same either way
        }
        return decode(text, null);
    }

    private static Decoded<Inbound> decode(String text, DataSpan data) {
        JsonValue value;
        try {
            value = JsonText.parse(text);
        } catch (JsonParsingException e) {
            return Decoded.refused(INVALID_JSON, "Malformed JSON: " + e.getMessage());
        } catch (JsonException e) {
            return Decoded.refused(INVALID_JSON, "Malformed JSON");
        }
        if (!(value instanceof JsonObject object)) {
            return Decoded.refused(INVALID_MESSAGE, "A message must be a JSON object {type, payload, timestamp}");
        }
        if (!(object.get("type") instanceof JsonString type) || type.getString().isBlank()) {
            return Decoded.refused(INVALID_MESSAGE, "Field 'type' must be a non-empty string");
        }
        String nul = JsonText.nulPath(text, object);
        if (nul != null) {
            return Decoded.refused(INVALID_MESSAGE, "Field '" + nul + "' contains U+0000, which strings may not hold");
        }
        JsonValue payload = object.getOrDefault("payload", JsonValue.NULL);
        JsonValue timestamp = object.get("timestamp");
        if (timestamp != null && timestamp.getValueType() != JsonValue.ValueType.NUMBER
                && timestamp.getValueType() != JsonValue.ValueType.NULL) {
            return Decoded.refused(INVALID_MESSAGE, "Field 'timestamp' must be a number");
        }
        return Decoded.message(new Inbound(type.getString(), payload, data));
    }

    /** Reads a {@code service.search.request} payload; @return a {@link ServiceSearch.Query} or the fault as text */
    static Object searchQuery(JsonValue payload) {
        if (!(payload instanceof JsonObject p)) {
            return "payload must be an object {query, service_type, peer_ids, active_only}";
        }
        JsonValue query = p.getOrDefault("query", JsonValue.NULL);
        if (query != JsonValue.NULL && !(query instanceof JsonString)) {
            return "query must be a string";
        }
        String text = query instanceof JsonString s ? s.getString() : "";
        if (text.length() > 256) {
            return "query must be at most 256 characters";
        }
        java.util.Set<ServiceType> types = java.util.EnumSet.noneOf(ServiceType.class);
        JsonValue type = p.getOrDefault("service_type", JsonValue.NULL);
        if (type != JsonValue.NULL && !(type instanceof JsonString)) {
            return "service_type must be a comma-separated string";
        }
        if (type instanceof JsonString s) {
            for (String t : s.getString().split(",")) {
                String name = t.strip();
                if (name.isEmpty()) {
                    continue;
                }
                try {
                    types.add(ServiceType.valueOf(name.toUpperCase(java.util.Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    return "unknown service_type: " + (name.length() > 32 ? name.substring(0, 32) : name);
                }
            }
        }
        java.util.Set<String> peers = new java.util.LinkedHashSet<>();
        JsonValue peerIds = p.getOrDefault("peer_ids", JsonValue.NULL);
        if (peerIds != JsonValue.NULL) {
            if (!(peerIds instanceof jakarta.json.JsonArray array) || array.size() > 1000) {
                return "peer_ids must be an array of at most 1000 strings";
            }
            for (JsonValue v : array) {
                if (!(v instanceof JsonString s)) {
                    return "peer_ids must be an array of strings";
                }
                peers.add(s.getString());
            }
        }
        JsonValue active = p.getOrDefault("active_only", JsonValue.FALSE);
        if (active != JsonValue.TRUE && active != JsonValue.FALSE && active != JsonValue.NULL) {
            return "active_only must be a boolean";
        }
        return new ServiceSearch.Query(text, types, peers, active == JsonValue.TRUE);
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
}
