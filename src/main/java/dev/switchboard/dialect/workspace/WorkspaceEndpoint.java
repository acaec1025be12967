package dev.switchboard.dialect.workspace;

import dev.switchboard.auth.control.Users;
import dev.switchboard.auth.entity.TokenPrincipal;
import dev.switchboard.chat.control.ChatMessages;
import dev.switchboard.dialect.Admission;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@code workspace} chat dialect at {@code /workspace/ws} (spec/workspace.md). A verified token (checked by
 * the {@code HandshakeGuard}) names the user; without one, {@code ?username=} does, unless that name belongs
 * to a token user or {@code workspace.auth.required} (checked here again). A refused connection gets an
 * {@code error} frame, then close 1008. Bad messages get an {@code error} frame and the connection stays open.
 * A connection made with a token is closed at its {@code exp} (4001).
 */
@ServerEndpoint(value = WorkspaceDialect.PATH, configurator = HandshakeConfigurator.class)
public class WorkspaceEndpoint implements WorkspaceRoster.Member {

    static final String DIALECT = WorkspaceDialect.NAME;
    private static final Logger LOG = Logger.getLogger(WorkspaceEndpoint.class.getName());
    private static final AtomicLong USER_IDS = new AtomicLong();

    @Inject
    Hub hub;

    @Inject
    dev.switchboard.cluster.control.Relay relay;

    @Inject
    Sockets sockets;

    @Inject
    Users users;

    @Inject
    ChatMessages chat;

    @Inject
    WorkspaceRoster roster;

    @Inject
    WorkspaceDialect dialect;

    @Inject
    TokenClock tokens;

    @Inject
    @ConfigProperty(name = "workspace.max-message-bytes", defaultValue = "1048576")
    int maxMessageBytes;

    @Inject
    @ConfigProperty(name = "workspace.message.max-length", defaultValue = "10000")
    int maxTextLength;

    /** The spec's security note: idle connections are closed after 5 minutes (pongs do not count as activity). */
    @Inject
    @ConfigProperty(name = "workspace.idle-timeout-seconds", defaultValue = "300")
    long idleTimeoutSeconds;

    @Inject
    @ConfigProperty(name = "workspace.rate-limit.per-second", defaultValue = "1.6667")
    double ratePerSecond;

    @Inject
    @ConfigProperty(name = "workspace.rate-limit.burst", defaultValue = "100")
    double rateBurst;

    @Inject
    @ConfigProperty(name = "workspace.max-connections-per-user", defaultValue = "3")
    int maxConnectionsPerUser;

    private Session session;
    private Admission handshake;
    private volatile Connection connection;
    private volatile String evictedFor;
    private String username;
    private String userId;
    private RateLimit rateLimit;
    private boolean holdsRateLimit;

    @OnOpen
    public void open(Session session) {
        this.session = session;
        handshake = Admission.claim(session, dialect);
        if (handshake == null) {
            LOG.warning(() -> "workspace.open.refused reason=not-admitted session=" + session.getId());
            refuse(WorkspaceCodec.AUTH_REQUIRED, dialect.auth() == WorkspaceDialect.Auth.REQUIRED
                    ? "A token is required" : "Connection not admitted; connect again");
            return;
        }
        session.setMaxTextMessageBufferSize(maxMessageBytes);
        session.setMaxBinaryMessageBufferSize(maxMessageBytes);
        TokenPrincipal principal = handshake.token();
        boolean authenticated = principal != null;
        String name;
        try {
            name = authenticated ? shownName(principal) : anonymousName(session);
        } catch (Refusal r) {
            refuse(r.code, r.getMessage());
            return;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "workspace.open.failed session=" + session.getId(), e);
            refuse(WorkspaceCodec.SERVER_BUSY, "Cannot check the username now; try again");
            return;
        }
        WorkspaceRoster.Admission admission = roster.admit(this, name, authenticated, maxConnectionsPerUser);
        switch (admission.outcome()) {
            case TAKEN -> {
                refuse(WorkspaceCodec.USERNAME_TAKEN, "Username belongs to a signed-in user; connect with its token");
                return;
            }
            case TOO_MANY -> {
                refuse(WorkspaceCodec.TOO_MANY_CONNECTIONS, "At most " + maxConnectionsPerUser + " connections per user");
                return;
            }
            default -> {
            }
        }
        username = name;
        userId = "ws_user_" + System.currentTimeMillis() + "_" + USER_IDS.incrementAndGet();
        rateLimit = hub.userRateLimit(DIALECT, name, ratePerSecond, Math.max(1, rateBurst));
        holdsRateLimit = true;
        connection = hub.open(DIALECT, authenticated ? name : null, Clearances.of(principal), sockets.transport(session));
        connection.whenGone(handshake::release);
        if (authenticated) {
            connection.whenGone(tokens.closeAtExpiry(connection, principal.expiresAt(), 0, null));
        }
        connection.closeWhenIdleFor(Duration.ofSeconds(idleTimeoutSeconds));
        admission.evicted().forEach(m -> m.evict("Username taken by its signed-in owner"));
        if (evictedFor != null) {
            evict(evictedFor);
            return;
        }
        LOG.fine(() -> "workspace.connected user-id=" + userId + " authenticated=" + authenticated);
        hub.send(connection, WorkspaceFrames.connected(userId, username, Instant.now(), roster.users()));
    }

    /**
     * The chat shows names, so an identity provider's user is shown by the provider's name (its
     * {@code preferred_username}) rather than by its scoped identity {@code <issuer>|<subject>} — unless a local user
     * has that name: then the scoped identity, so that nobody reads an identity provider's "admin" as ours.
     */
    private String shownName(TokenPrincipal token) {
        if (!token.local()) {
            return users.existsIgnoringCase(token.displayName()) ? token.getName() : token.displayName();
        }
        return token.getName();
    }

    private String anonymousName(Session session) throws Refusal {
        List<String> given = session.getRequestParameterMap().get("username");
        String name = given == null || given.isEmpty() ? null : given.get(0);
        if (name == null || name.isEmpty()) {
            throw new Refusal(WorkspaceCodec.USERNAME_REQUIRED, "Connect with ?username=<name> or a token");
        }
        String problem = WorkspaceCodec.usernameProblem(name);
        if (problem != null) {
            throw new Refusal(WorkspaceCodec.INVALID_USERNAME, problem);
        }
        if (users.existsIgnoringCase(name)) {
            throw new Refusal(WorkspaceCodec.USERNAME_TAKEN, "Username belongs to a signed-in user; connect with its token");
        }
        return name;
    }

    /** Not registered with the hub: the error frame goes straight out, then close 1008; the slot goes back at once. */
    private void refuse(String code, String message) {
        LOG.fine(() -> "workspace.refused code=" + code + " session=" + session.getId());
        if (handshake != null) {
            handshake.release();
        }
        OpenRefusal.refuse(session, WorkspaceFrames.error(code, message), message, sockets::background);
    }

    @Override
    public void evict(String reason) {
        evictedFor = reason;
        Connection c = connection;
        if (c != null) {
            LOG.info(() -> "workspace.evicted user-id=" + userId + " reason=owner-connected");
            hub.close(c, new Disconnect(Disconnect.POLICY_VIOLATION, reason));
        }
    }

    @OnMessage
    public void text(String text) {
        Connection c = connection;
        if (c == null) {
            return;
        }
        hub.received(c, text.length());
        long now = System.nanoTime();
        if (!rateLimit.tryAcquire(now)) {
            if (rateLimit.shouldReport(now)) {
                sendError(WorkspaceCodec.RATE_LIMITED, "Too many messages; retry after " + rateLimit.retryAfterMillis() + " ms");
            }
            return;
        }
        WorkspaceCodec.Inbound decoded = WorkspaceCodec.decode(text, maxTextLength).orElse(r -> {
            LOG.fine(() -> "workspace.message.refused code=" + r.code() + " connection=" + c.id());
            hub.send(connection, WorkspaceFrames.refused(r));
        });
        if (decoded instanceof WorkspaceCodec.Send send) {
            boolean accepted;
            try {
                accepted = chat.post(userId, username, send.text()).isPresent();
            } catch (RuntimeException e) {
                // only the first post of a run reads the database (the last stored id); it may be unreachable
                LOG.log(Level.WARNING, "workspace.post.failed connection=" + c.id(), e);
                accepted = false;
            }
            if (!accepted) {
                sendError(WorkspaceCodec.SERVER_BUSY, "The message store is unavailable; message not sent, try again");
            } else if (roster.elsewhere(username) > 0) {
                // the user's rate limit is per user over the cluster: the other instances debit their bucket too
                relay.signal(WorkspacePushes.POSTED_SIGNAL, username);
            }
        } else if (decoded instanceof WorkspaceCodec.Presence p) {
            toOthers(WorkspaceFrames.presence(userId, username, p.status()));
        } else if (decoded instanceof WorkspaceCodec.Typing t) {
            toOthers(WorkspaceFrames.typing(userId, username, t.isTyping()));
        }
    }

    /** Every other connection, on this instance and on the others. */
    private void toOthers(Frame frame) {
        Connection self = connection;
        for (Connection c : hub.connections(DIALECT)) {
            if (c != self) {
                hub.send(c, frame);
            }
        }
        relay.broadcastElsewhere(DIALECT, frame);
    }

    private void sendError(String code, String message) {
        hub.send(connection, Frame.of(WorkspaceFrames.error(code, message)));
    }

    @OnMessage
    public void binary(ByteBuffer data) {
        Connection c = connection;
        if (c != null) {
            hub.received(c, data.remaining());
            sendError(WorkspaceCodec.INVALID_MESSAGE, "Binary frames are not part of the workspace protocol");
        }
    }

    @OnMessage
    public void pong(PongMessage pong) {
        Connection c = connection;
        if (c != null) {
            hub.pong(c);
        }
    }

    @OnClose
    public void close(Session session, CloseReason reason) {
        sockets.closed(session);
        left();
    }

    @OnError
    public void error(Session session, Throwable failure) {
        LOG.log(Level.FINE, "workspace.socket.error session=" + session.getId(), failure);
        if (!session.isOpen()) {
            left();
        }
    }

    /** Once per connection, though both @OnClose and @OnError may get here. */
    private synchronized void releaseRateLimit() {
        if (holdsRateLimit) {
            holdsRateLimit = false;
            hub.releaseUserRateLimit(DIALECT, username);
        }
    }

    private void left() {
        Connection c = connection;
        if (c != null) {
            roster.leave(this, username);
            releaseRateLimit();
            hub.closed(c);
        }
    }

    /** Why a connection is not admitted: the error frame's code and text. */
    private static final class Refusal extends Exception {
        final String code;

        Refusal(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }
}
