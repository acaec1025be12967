package dev.switchboard.dialect.vault;

import dev.switchboard.common.JsonText;
import dev.switchboard.dialect.Decoded;
import dev.switchboard.common.WireTime;
import dev.switchboard.hub.entity.Frame;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.List;

/**
 * Reads the vault's client messages and writes its envelope {@code {type, topic, data, timestamp, clientId}}.
 * Pushes leave {@code clientId} out: they are encoded once for every subscriber, and the id is per connection.
 */
final class VaultCodec {

    static final String FILE_OPERATIONS = "file_operations";
    static final String PEER_NETWORK = "peer_network";
    static final String SYSTEM = "system";
    static final String ALERTS = "alerts";
    static final List<String> TOPICS = List.of(FILE_OPERATIONS, PEER_NETWORK, SYSTEM, ALERTS);

    static final String INVALID_MESSAGE = "INVALID_MESSAGE";
    static final String AUTH_FAILED = "AUTH_FAILED";
    static final String RATE_LIMIT_EXCEEDED = "RATE_LIMIT_EXCEEDED";
    static final String CONNECTION_REFUSED = "CONNECTION_REFUSED";
    /**
     * Not in spec/vault.md's list: a topic an unauthenticated client may not subscribe to. Kept apart from
     * {@code AUTH_FAILED}, which says a token was refused; this one says none was given yet.
     */
    static final String AUTH_REQUIRED = "AUTH_REQUIRED";

    private static final int MAX_ECHO = 64;

    private VaultCodec() {
    }

    /** A well-formed client message; {@code topic} and {@code token} are null when the type has none. */
    record Inbound(String type, String topic, String token) {
    }

    static Decoded<Inbound> decode(String text) {
        JsonValue value;
        try {
            value = JsonText.parse(text);
        } catch (JsonException e) {
            return Decoded.refused(INVALID_MESSAGE, "Message format is invalid: not JSON");
        }
        if (!(value instanceof JsonObject o)) {
            return Decoded.refused(INVALID_MESSAGE, "Message format is invalid: expected a JSON object");
        }
        if (!(o.get("type") instanceof JsonString type) || type.getString().isEmpty()) {
            return Decoded.refused(INVALID_MESSAGE, "Message format is invalid: 'type' must be a non-empty string");
        }
        switch (type.getString()) {
            case "subscribe", "unsubscribe" -> {
                if (!(o.get("topic") instanceof JsonString topic) || topic.getString().isEmpty()) {
                    return Decoded.refused(INVALID_MESSAGE, "'" + type.getString() + "' needs 'topic', one of " + TOPICS);
                }
                if (!TOPICS.contains(topic.getString())) {
                    return Decoded.refused(INVALID_MESSAGE, "Unknown topic '" + truncate(topic.getString()) + "'; topics are " + TOPICS);
                }
                return Decoded.message(new Inbound(type.getString(), topic.getString(), null));
            }
            case "auth" -> {
                JsonValue token = o.get("token");
                if (token == null && o.get("data") instanceof JsonObject data) {
                    token = data.get("token");
                }
                if (!(token instanceof JsonString t) || t.getString().isBlank()) {
                    return Decoded.refused(AUTH_FAILED, "'auth' needs 'token' (or 'data.token'): a JWT string");
                }
                return Decoded.message(new Inbound("auth", null, t.getString().trim()));
            }
            case "ping" -> {
                return Decoded.message(new Inbound("ping", null, null));
            }
            default -> {
                return Decoded.refused(INVALID_MESSAGE, "Unknown message type '" + truncate(type.getString())
                        + "'; accepted: subscribe, unsubscribe, auth, ping");
            }
        }
    }

    static Frame encode(String type, String topic, JsonObjectBuilder data, String clientId) {
        JsonObjectBuilder o = JsonText.object().add("type", type);
        if (topic != null) {
            o.add("topic", topic);
        }
        o.add("data", data).add("timestamp", WireTime.now());
        if (clientId != null) {
            o.add("clientId", clientId);
        }
        return Frame.of(o.build().toString());
    }

    private static String truncate(String s) {
        return s.length() <= MAX_ECHO ? s : s.substring(0, MAX_ECHO) + "...";
    }
}
