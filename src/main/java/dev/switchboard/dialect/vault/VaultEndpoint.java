package dev.switchboard.dialect.vault;

import dev.switchboard.auth.control.AuthFailures;
import dev.switchboard.auth.control.InvalidTokenException;
import dev.switchboard.auth.control.TokenVerifier;
import dev.switchboard.auth.entity.TokenPrincipal;
import dev.switchboard.dialect.Admission;
import dev.switchboard.common.ConfigLists;
import dev.switchboard.dialect.Clearances;
import dev.switchboard.dialect.HandshakeConfigurator;
import dev.switchboard.dialect.OpenRefusal;
import dev.switchboard.dialect.TokenClock;
import dev.switchboard.transport.Sockets;
import dev.switchboard.hub.boundary.Hub;
import dev.switchboard.hub.control.Connection;
import dev.switchboard.hub.control.RateLimit;
import dev.switchboard.hub.entity.Disconnect;
import dev.switchboard.hub.entity.Frame;

import jakarta.inject.Inject;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.ByteBuffer;
import java.util.concurrent.ScheduledFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@code vault} dialect at {@code /ws} (spec/vault.md). Authentication is optional (configurable to required)
 * and may come with the handshake or later in an {@code auth} message; a bad token is answered with
 * {@code AUTH_FAILED} here rather than by refusing the handshake. Every bad message gets an {@code error} frame and
 * the connection stays open. A connection over the limits the guard keeps ({@code vault.max-connections}, per
 * address) gets the spec's {@code CONNECTION_REFUSED}, then close 1013. Once authenticated (handshake or
 * {@code auth} message) the connection is closed at that token's {@code exp} (4001); a later {@code auth} with a
 * new token moves the deadline.
 */
@ServerEndpoint(value = VaultDialect.PATH, configurator = HandshakeConfigurator.class)
public class VaultEndpoint {

    static final String DIALECT = VaultDialect.NAME;
    private static final Logger LOG = Logger.getLogger(VaultEndpoint.class.getName());

    @Inject
    Hub hub;

    @Inject
    Sockets sockets;

    @Inject
    TokenVerifier verifier;

    @Inject
    AuthFailures authFailures;

    @Inject
    VaultStats stats;

    @Inject
    VaultDialect dialect;

    @Inject
    TokenClock tokens;

    @Inject
    @ConfigProperty(name = "vault.max-message-bytes", defaultValue = "1048576")
    int maxMessageBytes;

    @Inject
    @ConfigProperty(name = "vault.rate-limit.per-second", defaultValue = "100")
    double ratePerSecond;

    @Inject
    @ConfigProperty(name = "vault.write-timeout-seconds", defaultValue = "30")
    long writeTimeoutSeconds;

    @Inject
    @ConfigProperty(name = "vault.auth.required", defaultValue = "false")
    boolean authRequired;

    @Inject
    @ConfigProperty(name = "vault.auth.timeout-seconds", defaultValue = "10")
    long authTimeoutSeconds;

    /**
     * The topics a client may subscribe to before it authenticated (spec/vault.md, Message Validation: "topic
     * subscription permissions"); every other topic needs a token. {@code alerts} is left out by default: security
     * alerts tell an attacker how their attempts are seen.
     */
    @Inject
    @ConfigProperty(name = "vault.anonymous-topics", defaultValue = "file_operations,peer_network,system")
    String anonymousTopics;

    private Connection connection;
    private RateLimit rateLimit;
    private volatile String user;
    private ScheduledFuture<?> authDeadline;
    /** Stops the current token's expiry deadline. */
    private volatile Runnable tokenWatch = () -> { };

    @OnOpen
    public void open(Session session) {
        Admission admission = Admission.claim(session, dialect);
        if (admission == null) {
            LOG.warning(() -> "vault.open.refused reason=not-admitted session=" + session.getId());
            OpenRefusal.refuse(session, null, "Not admitted", sockets::background);
            return;
        }
        session.setMaxTextMessageBufferSize(maxMessageBytes);
        session.setMaxBinaryMessageBufferSize(maxMessageBytes);
        TokenPrincipal caller = admission.token();
        user = caller == null ? null : caller.getName();
        connection = hub.open(DIALECT, user, Clearances.of(caller), sockets.transport(session, writeTimeoutSeconds));
        connection.whenGone(admission::release);
        connection.whenGone(() -> tokenWatch.run());
        rateLimit = new RateLimit(ratePerSecond, ratePerSecond, System.nanoTime());
        if (admission.refusal() != null) {
            stats.refusedConnections.increment();
            hub.finish(connection, VaultFrames.error(VaultCodec.CONNECTION_REFUSED, admission.refusal(), connection.id()),
                    new Disconnect(Disconnect.TRY_AGAIN_LATER, "Connection limit reached, try again later"));
            return;
        }
        if (caller != null) {
            watchToken(caller);
        }
        send(VaultFrames.connected(connection.id(), user, VaultCodec.TOPICS));
        if (admission.rejectedToken() != null) {
            stats.authFailures.increment();
            send(VaultFrames.error(VaultCodec.AUTH_FAILED, "Invalid authentication credentials", connection.id()));
        }
        if (authRequired && user == null) {
            Connection c = connection;
            authDeadline = sockets.later(authTimeoutSeconds * 1000, () -> {
                if (user == null && c.isOpen()) {
                    hub.finish(c, VaultFrames.error(VaultCodec.AUTH_FAILED, "Authentication required; none arrived within "
                            + authTimeoutSeconds + " s", c.id()), new Disconnect(Disconnect.POLICY_VIOLATION, "Authentication required"));
                }
            });
        }
    }

    @OnMessage
    public void text(String text) {
        hub.received(connection, text.length());
        stats.messagesIn.increment();
        long now = System.nanoTime();
        if (!rateLimit.tryAcquire(now)) {
            stats.rateLimited.increment();
            if (rateLimit.shouldReport(now)) {
                send(VaultFrames.rateLimited(Math.max(1, (rateLimit.retryAfterMillis() + 999) / 1000), connection.id()));
            }
            return;
        }
        VaultCodec.Inbound message = VaultCodec.decode(text).orElse(r -> {
            stats.invalidMessages.increment();
            if (r.code().equals(VaultCodec.AUTH_FAILED)) {
                stats.authFailures.increment();
            }
            send(VaultFrames.refused(r, connection.id()));
        });
        if (message == null) {
            return;
        }
        switch (message.type()) {
            case "auth" -> authenticate(message.token());
            case "ping" -> send(VaultFrames.pong(connection.id()));
            default -> subscription(message);
        }
    }

    private void subscription(VaultCodec.Inbound message) {
        if (authRequired && user == null) {
            send(VaultFrames.error(VaultCodec.AUTH_FAILED, "Authentication required before '" + message.type() + "'", connection.id()));
            return;
        }
        if (message.type().equals("subscribe") && user == null
                && !ConfigLists.split(java.util.Optional.of(anonymousTopics)).contains(message.topic())) {
            LOG.fine(() -> "vault.subscribe.refused reason=anonymous topic=" + message.topic() + " connection=" + connection.id());
            send(VaultFrames.error(VaultCodec.AUTH_REQUIRED, "Topic '" + message.topic() + "' needs an authenticated "
                    + "connection: send an auth message (or connect with a token) first", connection.id()));
            return;
        }
        if (message.type().equals("subscribe")) {
            hub.subscribe(connection, message.topic());
        } else {
            hub.unsubscribe(connection, message.topic());
        }
        send(VaultFrames.subscription(message.type() + "d", message.topic(), hub.subscriptionsOf(connection), connection.id()));
    }

    private void authenticate(String token) {
        try {
            TokenPrincipal p = verifier.verify(token);
            user = p.getName();
            watchToken(p);
            connection.clearance(Clearances.of(p));
            if (authDeadline != null) {
                authDeadline.cancel(false);
            }
            send(VaultFrames.authenticated(p.getName(), p.expiresAt(), connection.id()));
        } catch (InvalidTokenException e) {
            authFailures.record();
            stats.authFailures.increment();
            LOG.fine(() -> "vault.auth.refused connection=" + connection.id() + " detail=\"" + e.getMessage() + "\"");
            send(VaultFrames.error(VaultCodec.AUTH_FAILED, "Invalid authentication credentials", connection.id()));
        }
    }

    /** Closes the connection at this token's {@code exp}; a new token (another {@code auth}) replaces the deadline. */
    private void watchToken(TokenPrincipal token) {
        Runnable previous = tokenWatch;
        tokenWatch = tokens.closeAtExpiry(connection, token.expiresAt(), 0, null);
        previous.run();
    }

    private void send(Frame frame) {
        if (hub.send(connection, frame)) {
            stats.messagesOut.increment();
        }
    }

    @OnMessage
    public void binary(ByteBuffer data) {
        hub.received(connection, data.remaining());
        stats.invalidMessages.increment();
        send(VaultFrames.error(VaultCodec.INVALID_MESSAGE, "Message format is invalid: binary frames are not accepted", connection.id()));
    }

    @OnMessage
    public void pong(PongMessage pong) {
        hub.pong(connection);
    }

    @OnClose
    public void close(Session session) {
        sockets.closed(session);
        if (authDeadline != null) {
            authDeadline.cancel(false);
        }
        if (connection != null) {
            hub.closed(connection);
        }
    }

    @OnError
    public void error(Session session, Throwable failure) {
        LOG.log(Level.FINE, "vault.socket.error session=" + session.getId(), failure);
        if (connection != null && !session.isOpen()) {
            hub.closed(connection);
        }
    }
}
