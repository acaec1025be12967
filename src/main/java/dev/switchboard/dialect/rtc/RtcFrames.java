package dev.switchboard.dialect.rtc;

import dev.switchboard.common.JsonText;
import dev.switchboard.dialect.Decoded;
import dev.switchboard.hub.entity.Frame;
import dev.switchboard.messaging.entity.NotificationSent;
import dev.switchboard.messaging.entity.PendingDirectMessage;
import dev.switchboard.hub.entity.PresenceChanged;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import java.util.Collection;
import java.util.List;

/** The rtc dialect's server → client frames, one factory per message of spec/rtc.md. Times are Unix seconds. */
final class RtcFrames {

    static final String PROTOCOL_VERSION = "1.0";
    static final List<String> FEATURES = List.of("broadcast", "direct_message", "presence", "notification",
            "auth_status", "binary", "custom_types", "offline_queue");

    private RtcFrames() {
    }

    /** The spec's {@code Error {code, message, details}} frame: every refusal of the rtc dialect is one. */
    static Frame error(int code, String message, JsonObjectBuilder details) {
        return RtcCodec.encode("Error", JsonText.object().add("code", code).add("message", message)
                .add("details", details == null ? JsonText.object() : details));
    }

    /** Details naming the offending field and echoing the client's message id, when there are any. */
    static JsonObjectBuilder details(String messageId, String field) {
        JsonObjectBuilder d = JsonText.object();
        if (messageId != null) {
            d.add("message_id", messageId);
        }
        if (field != null) {
            d.add("field", field);
        }
        return d;
    }

    /** A refused envelope: {@code Error 400} naming the field, echoing the client's message id when it sent one. */
    static Frame refused(Decoded.Refused<?> r, String messageId) {
        return error(RtcCodec.BAD_REQUEST, r.text(), details(messageId, r.field()));
    }

    static long now() {
        return System.currentTimeMillis() / 1000;
    }

    static Frame welcome(String connectionId) {
        JsonArrayBuilder features = JsonText.array();
        FEATURES.forEach(features::add);
        return status("connected", JsonText.object()
                .add("connection_id", connectionId)
                .add("server_time", now())
                .add("protocol_version", PROTOCOL_VERSION)
                .add("features", features));
    }

    static Frame status(String status, JsonObjectBuilder details) {
        return RtcCodec.encode("Status", JsonText.object().add("status", status).add("details", details));
    }

    /** Echoes the client's timestamp as it was sent (any number); the server's clock when there was none. */
    static Frame pong(JsonNumber timestamp) {
        JsonObjectBuilder pong = JsonText.object();
        if (timestamp == null) {
            pong.add("timestamp", now());
        } else {
            pong.add("timestamp", timestamp);
        }
        return RtcCodec.encode("Pong", pong);
    }

    static Frame subscriptions(String status, Collection<String> topics, int active) {
        JsonArrayBuilder list = JsonText.array();
        topics.forEach(list::add);
        return status(status, JsonText.object().add("topics", list).add("active_subscriptions", active));
    }

    static Frame broadcast(String topic, JsonValue payload, long sentAt, String messageId) {
        return RtcCodec.encode("Broadcast", JsonText.object()
                .add("topic", topic)
                .add("payload", payload)
                .add("metadata", JsonText.object().add("sent_at", sentAt).add("message_id", messageId)));
    }

    static Frame broadcastAck(String messageId, int recipients) {
        return RtcCodec.encode("Ack", JsonText.object().add("message_id", messageId).add("status", "delivered")
                .add("recipients", recipients));
    }

    static Frame directMessage(String fromUser, JsonValue payload, long sentAt, String messageId) {
        return RtcCodec.encode("DirectMessage", JsonText.object()
                .add("from_user", fromUser)
                .add("payload", payload)
                .add("metadata", JsonText.object().add("sent_at", sentAt).add("message_id", messageId)));
    }

    /** A direct message that waited in the offline queue: the same shape, with {@code metadata.queued: true}. */
    static Frame queuedDirectMessage(PendingDirectMessage m) {
        return RtcCodec.encode("DirectMessage", JsonText.object()
                .add("from_user", m.fromUser())
                .add("payload", JsonText.parse(m.payloadJson()))
                .add("metadata", JsonText.object().add("sent_at", m.sentAt().getEpochSecond())
                        .add("message_id", m.messageId()).add("queued", true)));
    }

    static Frame directAck(String messageId, List<String> deliveredTo) {
        JsonArrayBuilder to = JsonText.array();
        deliveredTo.forEach(to::add);
        return RtcCodec.encode("Ack", JsonText.object().add("message_id", messageId).add("status", "delivered")
                .add("delivered_to", to));
    }

    static Frame presence(PresenceChanged p) {
        return RtcCodec.encode("Presence", JsonText.object()
                .add("user_id", p.user())
                .add("status", p.status())
                .add("last_seen", p.lastSeen().getEpochSecond())
                .add("metadata", JsonText.parse(p.metadataJson())));
    }

    static Frame notification(NotificationSent n) {
        return RtcCodec.encode("Notification", JsonText.object()
                .add("level", n.level())
                .add("title", n.title())
                .add("message", n.message())
                .add("actions", JsonText.parse(n.actionsJson())));
    }

    static Frame tokenExpiring(long expiresAt) {
        return RtcCodec.encode("AuthStatus", JsonText.object().add("status", "token_expiring")
                .add("expires_at", expiresAt).add("refresh_required", true));
    }

    static Frame binaryReceived(int size, String type, String checksum) {
        return status("binary_received", JsonText.object().add("size", size).add("type", type).add("checksum", checksum));
    }

    /** An answer of application code to an {@code X-} message: its own type, its own data. */
    static Frame custom(String type, String dataJson) {
        return RtcCodec.encode(type, JsonText.parse(dataJson));
    }
}
