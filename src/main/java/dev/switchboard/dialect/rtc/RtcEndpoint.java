package dev.switchboard.dialect.rtc;

import dev.switchboard.auth.entity.TokenPrincipal;
import dev.switchboard.cluster.control.Relay;
import dev.switchboard.dialect.Admission;
import dev.switchboard.dialect.Clearances;
import dev.switchboard.dialect.HandshakeConfigurator;
import dev.switchboard.dialect.OpenRefusal;
import dev.switchboard.dialect.TokenClock;
import dev.switchboard.common.JsonText;
import dev.switchboard.transport.Sockets;
import dev.switchboard.hub.boundary.Hub;
import dev.switchboard.hub.control.Connection;
import dev.switchboard.hub.control.RateLimit;
import dev.switchboard.hub.control.Subscriptions;
import dev.switchboard.hub.entity.Disconnect;
import dev.switchboard.messaging.entity.CustomMessage;
import dev.switchboard.hub.entity.PresenceChanged;

import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.ByteBuffer;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@code rtc} dialect at {@code /rtc/ws} (spec/rtc.md). The handshake was authenticated by the
 * {@code HandshakeGuard} (a token is required, and checked here again: without one, close 1008); here the connection
 * is registered with the hub, greeted with {@code Status connected}, handed its offline direct messages, warned with
 * {@code AuthStatus token_expiring} and closed (4001) at its token's expiry, and its messages dispatched. A bad
 * message gets an {@code Error} frame (400, 403, 404, 429, 500, 503) and the connection stays open.
 */
@ServerEndpoint(value = RtcDialect.PATH, configurator = HandshakeConfigurator.class)
public class RtcEndpoint {

    static final String DIALECT = RtcDialect.NAME;
    private static final Logger LOG = Logger.getLogger(RtcEndpoint.class.getName());

    @Inject
    Hub hub;

    @Inject
    Sockets sockets;

    @Inject
    RtcDirectMessages directMessages;

    @Inject
    Relay relay;

    @Inject
    TokenClock tokenClock;

    @Inject
    RtcDialect dialect;

    @Inject
    Event<CustomMessage> custom;

    /** The spec's {@code AuthStatus token_expiring} comes this long before the token's {@code exp}. */
    @Inject
    @ConfigProperty(name = "rtc.auth.expiry-warning-seconds", defaultValue = "300")
    long expiryWarningSeconds;

    @Inject
    @ConfigProperty(name = "rtc.max-message-bytes", defaultValue = "65536")
    int maxMessageBytes;

    @Inject
    @ConfigProperty(name = "rtc.rate-limit.per-second", defaultValue = "100")
    double ratePerSecond;

    @Inject
    @ConfigProperty(name = "rtc.rate-limit.burst")
    Optional<Double> rateBurst;

    @Inject
    @ConfigProperty(name = "rtc.topic.max-length", defaultValue = "256")
    int maxTopicLength;

    /** The hub's own key, read here too so that a refusal can name the limit. */
    @Inject
    @ConfigProperty(name = "hub.subscriptions.max-per-connection", defaultValue = "100")
    int subscriptionLimit;

    private Connection connection;
    private RateLimit rateLimit;
    private final AtomicBoolean ended = new AtomicBoolean();

    @OnOpen
    public void open(Session session) {
        Admission admission = Admission.claim(session, dialect);
        if (admission == null) {
            LOG.warning(() -> "rtc.open.refused reason=not-admitted session=" + session.getId());
            OpenRefusal.refuse(session, null, "Authentication required", sockets::background);
            return;
        }
        session.setMaxTextMessageBufferSize(maxMessageBytes);
        session.setMaxBinaryMessageBufferSize(maxMessageBytes);
        TokenPrincipal token = admission.token();
        String user = token.getName();
        connection = hub.open(DIALECT, user, Clearances.of(token), sockets.transport(session));
        connection.whenGone(admission::release);
        rateLimit = new RateLimit(ratePerSecond, rateBurst.orElse(ratePerSecond), System.nanoTime());
        hub.send(connection, RtcFrames.welcome(connection.id()));
        hub.presence().opened(user, connection.id());
        directMessages.drain(connection);
        if (token.expiresAt() != null) {
            long expiresAt = token.expiresAt().getEpochSecond();
            connection.whenGone(tokenClock.closeAtExpiry(connection, token.expiresAt(), expiryWarningSeconds,
                    () -> RtcFrames.tokenExpiring(expiresAt)));
        }
        LOG.fine(() -> "rtc.connected user=" + user + " connection=" + connection.id());
    }

    @OnMessage
    public void text(String text) {
        hub.received(connection, text.length());
        if (!admitted(text)) {
            return;
        }
        RtcCodec.Inbound message = RtcCodec.decode(text).orElse(r -> hub.send(connection, RtcFrames.refused(r, RtcCodec.idOf(text))));
        if (message == null) {
            return;
        }
        try {
            dispatch(message);
        } catch (RtcCodec.Invalid e) {
            refuse(RtcCodec.BAD_REQUEST, e.getMessage(), RtcFrames.details(message.id(), e.field()));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "rtc.message.failed type=" + RtcCodec.truncate(message.type()) + " connection=" + connection.id(), e);
            refuse(RtcCodec.INTERNAL_ERROR, "Internal error", RtcFrames.details(message.id(), null));
        }
    }

    /** The per-connection rate limit: excess messages are dropped, with one {@code Error 429} per second at most. */
    private boolean admitted(String textOrNull) {
        long now = System.nanoTime();
        if (rateLimit.tryAcquire(now)) {
            return true;
        }
        if (rateLimit.shouldReport(now)) {
            long ms = Math.max(1, rateLimit.retryAfterMillis());
            var details = RtcFrames.details(textOrNull == null ? null : RtcCodec.idOf(textOrNull), null)
                    .add("retry_after", (ms + 999) / 1000)
                    .add("retry_after_ms", ms)
                    .add("limit_per_second", ratePerSecond);
            hub.send(connection, RtcFrames.error(RtcCodec.TOO_MANY_REQUESTS,
                    "Rate limit exceeded; messages are dropped until the retry delay has passed", details));
        }
        return false;
    }

    private void dispatch(RtcCodec.Inbound m) throws RtcCodec.Invalid {
        switch (m.type()) {
            case "Ping" -> ping(m);
            case "Pong" -> hub.pong(connection);
            case "Subscribe" -> subscribe(m);
            case "Unsubscribe" -> unsubscribe(m);
            case "Broadcast" -> broadcast(m);
            case "DirectMessage" -> directMessage(m);
            case "Presence" -> presence(m);
            default -> {
                if (m.type().startsWith("X-") && m.type().length() > 2) {
                    customMessage(m);
                } else {
                    refuse(RtcCodec.BAD_REQUEST, "Unknown message type: " + RtcCodec.truncate(m.type()),
                            RtcFrames.details(m.id(), "type").add("type", RtcCodec.truncate(m.type())));
                }
            }
        }
    }

    private void ping(RtcCodec.Inbound m) throws RtcCodec.Invalid {
        JsonNumber timestamp = null;
        if (m.data() != JsonValue.NULL) {
            JsonObject data = RtcCodec.object(m.data(), "{timestamp}");
            JsonValue t = data.getOrDefault("timestamp", JsonValue.NULL);
            if (t != JsonValue.NULL && !(t instanceof JsonNumber)) {
                throw new RtcCodec.Invalid("timestamp", "Field 'timestamp' must be a number");
            }
            timestamp = t instanceof JsonNumber n ? n : null;
        }
        hub.send(connection, RtcFrames.pong(timestamp));
    }

    private List<String> topics(RtcCodec.Inbound m) throws RtcCodec.Invalid {
        JsonObject data = RtcCodec.object(m.data(), "{topics}");
        List<String> topics = RtcCodec.strings(data, "topics", 1000);
        for (String t : topics) {
            String fault = Subscriptions.invalid(t, maxTopicLength);
            if (fault != null) {
                throw new RtcCodec.Invalid("topics", fault);
            }
        }
        return topics;
    }

    private void subscribe(RtcCodec.Inbound m) throws RtcCodec.Invalid {
        List<String> topics = topics(m);
        Set<String> fresh = new LinkedHashSet<>(topics);
        fresh.removeAll(hub.subscriptionsOf(connection));
        int active = hub.subscriptionsOf(connection).size();
        int limit = subscriptionLimit;
        // all or nothing: this connection's messages are handled one at a time, so the count cannot move meanwhile
        if (active + fresh.size() > limit) {
            refuse(RtcCodec.FORBIDDEN, "Subscription limit reached: at most " + limit + " per connection",
                    RtcFrames.details(m.id(), "topics").add("limit", limit).add("active_subscriptions", active));
            return;
        }
        for (String t : fresh) {
            if (hub.subscribe(connection, t) == Subscriptions.Outcome.LIMIT) {
                refuse(RtcCodec.FORBIDDEN, "Subscription limit reached: at most " + limit + " per connection",
                        RtcFrames.details(m.id(), "topics").add("limit", limit)
                                .add("active_subscriptions", hub.subscriptionsOf(connection).size()));
                return;
            }
        }
        hub.send(connection, RtcFrames.subscriptions("subscribed", topics, hub.subscriptionsOf(connection).size()));
    }

    private void unsubscribe(RtcCodec.Inbound m) throws RtcCodec.Invalid {
        List<String> topics = topics(m);
        for (String t : topics) {
            hub.unsubscribe(connection, t);
        }
        hub.send(connection, RtcFrames.subscriptions("unsubscribed", topics, hub.subscriptionsOf(connection).size()));
    }

    private void broadcast(RtcCodec.Inbound m) throws RtcCodec.Invalid {
        JsonObject data = RtcCodec.object(m.data(), "{topic, payload}");
        String topic = RtcCodec.string(data, "topic", maxTopicLength);
        String fault = Subscriptions.invalid(topic, maxTopicLength);
        if (fault == null && (topic.contains(Subscriptions.ONE) || topic.contains(Subscriptions.REST))) {
            fault = "Broadcast needs a concrete topic, without wildcards";
        }
        if (fault != null) {
            throw new RtcCodec.Invalid("topic", fault);
        }
        JsonValue payload = RtcCodec.required(data, "payload");
        String messageId = m.id() != null ? m.id() : "broadcast_" + UUID.randomUUID();
        if (topic.equals(RtcPushes.PRESENCE_TOPIC) || topic.startsWith(RtcPushes.PRESENCE_TOPIC + ".")) {
            refuse(RtcCodec.FORBIDDEN, "Topics under '" + RtcPushes.PRESENCE_TOPIC + "' are published by the server only",
                    RtcFrames.details(messageId, "topic"));
            return;
        }
        // clustered, the Ack waits (bounded, off this thread) for every instance's count; alone it is sent at once
        Connection c = connection;
        relay.publish(DIALECT, topic, RtcFrames.broadcast(topic, payload, RtcFrames.now(), messageId), true)
                .thenAccept(recipients -> hub.send(c, RtcFrames.broadcastAck(messageId, recipients)));
    }

    private void directMessage(RtcCodec.Inbound m) throws RtcCodec.Invalid {
        JsonObject data = RtcCodec.object(m.data(), "{target_user, payload}");
        String target = RtcCodec.string(data, "target_user", 256);
        JsonValue payload = RtcCodec.required(data, "payload");
        Long ttl = ttl(m.metadata());
        if (ttl == null) {
            ttl = ttl(RtcCodec.optionalObject(data, "metadata"));
        }
        String messageId = m.id() != null ? m.id() : "dm_" + UUID.randomUUID();
        RtcDirectMessages.Outcome outcome = directMessages.send(connection.user(), target, messageId, payload, ttl);
        if (outcome instanceof RtcDirectMessages.Delivered d) {
            hub.send(connection, RtcFrames.directAck(messageId, d.connectionIds()));
        } else if (outcome instanceof RtcDirectMessages.Stored) {
            refuse(RtcCodec.NOT_FOUND, "User " + RtcCodec.truncate(target) + " not found or not connected",
                    RtcFrames.details(messageId, null).add("queued", true));
        } else if (outcome instanceof RtcDirectMessages.Refused r) {
            refuse(r.code(), r.message(), RtcFrames.details(messageId, null).add("queued", false));
        }
    }

    /** {@code metadata.ttl}: seconds a queued direct message may wait; null when absent. */
    private static Long ttl(JsonObject metadata) throws RtcCodec.Invalid {
        if (metadata == null || !metadata.containsKey("ttl") || metadata.isNull("ttl")) {
            return null;
        }
        if (!(metadata.get("ttl") instanceof JsonNumber n) || n.doubleValue() < 0) {
            throw new RtcCodec.Invalid("metadata.ttl", "Field 'metadata.ttl' must be a non-negative number of seconds");
        }
        return (long) Math.ceil(Math.min(n.doubleValue(), Long.MAX_VALUE / 2.0));
    }

    private void presence(RtcCodec.Inbound m) throws RtcCodec.Invalid {
        JsonObject data = RtcCodec.object(m.data(), "{status, metadata}");
        String status = RtcCodec.string(data, "status", 16);
        if (!status.equals(PresenceChanged.ONLINE) && !status.equals(PresenceChanged.AWAY)) {
            throw new RtcCodec.Invalid("status", "Field 'status' must be 'online' or 'away'");
        }
        JsonObject metadata = RtcCodec.optionalObject(data, "metadata");
        String metadataJson = (metadata == null ? JsonValue.EMPTY_JSON_OBJECT : metadata).toString();
        hub.presence().set(connection.user(), status, metadataJson);
        hub.send(connection, RtcFrames.status("presence_updated", JsonText.object().add("status", status)
                .add("metadata", JsonText.parse(metadataJson))));
    }

    private void customMessage(RtcCodec.Inbound m) {
        Connection c = connection;
        custom.fireAsync(new CustomMessage(m.type(), m.data().toString(), m.id(), c.user(), c.id(), (type, dataJson) -> {
            try {
                hub.send(c, RtcFrames.custom(type, dataJson));
            } catch (JsonException e) {
                LOG.log(Level.WARNING, "rtc.custom.reply.invalid type=" + RtcCodec.truncate(type), e);
            }
        })).exceptionally(failure -> {
            LOG.log(Level.WARNING, "rtc.custom.failed type=" + RtcCodec.truncate(m.type()) + " connection=" + c.id(), failure);
            hub.send(c, RtcFrames.error(RtcCodec.INTERNAL_ERROR, "The handler of " + RtcCodec.truncate(m.type()) + " failed",
                    RtcFrames.details(m.id(), null)));
            return null;
        });
    }

    @OnMessage
    public void binary(ByteBuffer data) {
        hub.received(connection, data.remaining());
        if (data.remaining() > maxMessageBytes) {
            // Tyrus enforces the text limit itself but let an unfragmented binary frame over it through
            hub.close(connection, new Disconnect(Disconnect.TOO_BIG, "Message too big"));
            ended(connection);
            return;
        }
        if (!admitted(null)) {
            return;
        }
        try {
            RtcBinary.Received r = RtcBinary.read(data);
            hub.send(connection, RtcFrames.binaryReceived(r.size(), r.type(), r.checksum()));
        } catch (RtcCodec.Invalid e) {
            refuse(RtcCodec.BAD_REQUEST, e.getMessage(), RtcFrames.details(null, e.field()));
        }
    }

    @OnMessage
    public void pong(PongMessage pong) {
        hub.pong(connection);
    }

    @OnClose
    public void close(Session session, CloseReason reason) {
        sockets.closed(session);
        if (connection != null) {
            ended(connection);
        }
    }

    @OnError
    public void error(Session session, Throwable failure) {
        LOG.log(Level.FINE, "rtc.socket.error session=" + session.getId(), failure);
        if (connection != null && !session.isOpen()) {
            ended(connection);
        }
    }

    /** Once per connection, whoever notices first: the socket closed, or the server closed it. */
    private void ended(Connection c) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        hub.closed(c);
        hub.presence().closed(c.user(), c.id());
    }

    private void refuse(int code, String message, jakarta.json.JsonObjectBuilder details) {
        hub.send(connection, RtcFrames.error(code, message, details));
    }
}
