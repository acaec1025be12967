package dev.switchboard.dialect.node;

import dev.switchboard.auth.entity.TokenPrincipal;
import dev.switchboard.dialect.Admission;
import dev.switchboard.dialect.Clearances;
import dev.switchboard.dialect.HandshakeConfigurator;
import dev.switchboard.dialect.OpenRefusal;
import dev.switchboard.dialect.TokenClock;
import dev.switchboard.transport.Sockets;
import dev.switchboard.hub.boundary.Hub;
import dev.switchboard.hub.control.Connection;
import dev.switchboard.hub.control.RateLimit;
import dev.switchboard.hub.entity.Clearance;
import dev.switchboard.node.control.NodeIdentity;
import dev.switchboard.ops.control.Faults;
import dev.switchboard.service.control.ServiceSearch;
import dev.switchboard.upload.control.Uploads;
import dev.switchboard.upload.entity.UploadException;
import dev.switchboard.upload.entity.UploadProgress;
import dev.switchboard.upload.entity.UploadStatus;

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
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@code node} dialect at {@code /api/ws} (spec/node.md). The handshake was already authenticated by the
 * {@code HandshakeGuard}; here the endpoint checks the guard's admission itself (a token is required: without one,
 * close 1008), registers the connection with the hub until its token's {@code exp} (then 4001), greets it, and
 * dispatches its messages. A bad message gets an {@code error} frame and the connection stays open.
 */
@ServerEndpoint(value = NodeDialect.PATH, configurator = HandshakeConfigurator.class)
public class NodeEndpoint {

    static final String DIALECT = NodeDialect.NAME;
    private static final Logger LOG = Logger.getLogger(NodeEndpoint.class.getName());

    @Inject
    Hub hub;

    @Inject
    Sockets sockets;

    @Inject
    NodeIdentity identity;

    @Inject
    ServiceSearch search;

    @Inject
    Uploads uploads;

    @Inject
    Faults faults;

    @Inject
    NodeDialect dialect;

    @Inject
    TokenClock tokens;

    @Inject
    @ConfigProperty(name = "node.max-message-bytes", defaultValue = "10485760")
    int maxMessageBytes;

    @Inject
    @ConfigProperty(name = "node.rate-limit.per-second", defaultValue = "1000")
    double ratePerSecond;

    @Inject
    @ConfigProperty(name = "node.search.max-in-flight", defaultValue = "4")
    int maxSearchesInFlight;

    private Connection connection;
    private RateLimit rateLimit;
    private final java.util.concurrent.atomic.AtomicInteger searchesInFlight = new java.util.concurrent.atomic.AtomicInteger();

    @OnOpen
    public void open(Session session) {
        Admission admission = Admission.claim(session, dialect);
        if (admission == null) {
            LOG.warning(() -> "node.open.refused reason=not-admitted session=" + session.getId());
            OpenRefusal.refuse(session, null, "Authentication required", sockets::background);
            return;
        }
        session.setMaxTextMessageBufferSize(maxMessageBytes);
        session.setMaxBinaryMessageBufferSize(maxMessageBytes);
        TokenPrincipal token = admission.token();
        connection = hub.open(DIALECT, token.getName(), Clearances.of(token), sockets.transport(session));
        connection.whenGone(admission::release);
        connection.whenGone(tokens.closeAtExpiry(connection, token.expiresAt(), 0, null));
        rateLimit = new RateLimit(ratePerSecond, ratePerSecond, System.nanoTime());
        hub.send(connection, NodeFrames.connected(identity.peerId()));
    }

    @OnMessage
    public void text(String text) {
        hub.received(connection, text.length());
        long now = System.nanoTime();
        if (!rateLimit.tryAcquire(now)) {
            if (rateLimit.shouldReport(now)) {
                hub.send(connection, NodeFrames.error(NodeCodec.RATE_LIMITED,
                        "Too many messages; retry after " + rateLimit.retryAfterMillis() + " ms"));
            }
            return;
        }
        NodeCodec.Inbound message = NodeCodec.decode(text).orElse(r -> {
            LOG.fine(() -> "node.message.refused code=" + r.code() + " connection=" + connection.id());
            hub.send(connection, NodeFrames.refused(r));
        });
        if (message == null) {
            return;
        }
        switch (message.type()) {
            case "ping" -> hub.send(connection, NodeFrames.pong());
            case "pong" -> hub.pong(connection);
            case "service.search.request" -> search(message.payload());
            case "file.upload.start", "file.upload.chunk", "file.upload.pause", "file.upload.resume" ->
                    upload(message);
            default -> hub.send(connection, NodeFrames.error(NodeCodec.UNKNOWN_TYPE,
                    "Unknown message type: " + truncate(message.type())));
        }
    }

    /**
     * Upload messages run on this connection's reader: a connection's chunks are written in order, and a slow disk
     * slows only its uploader. Every one of them writes (a file area, an upload session), so each needs a writing
     * role, as the REST writes do: without one, {@code FORBIDDEN} and nothing is touched.
     */
    private void upload(NodeCodec.Inbound message) {
        String type = message.type();
        jakarta.json.JsonValue payload = message.payload();
        String user = connection.user();
        if (connection.clearance() != Clearance.PRIVILEGED) {
            LOG.info(() -> "node.upload.refused reason=role type=" + type + " connection=" + connection.id());
            String session = type.equals("file.upload.start") ? "" : UploadMessages.sessionIdOrEmpty(payload);
            hub.send(connection, NodeFrames.uploadError(new UploadException(Uploads.FORBIDDEN, session,
                    "Uploads need the role admin or operator")));
            return;
        }
        try {
            UploadProgress progress = switch (type) {
                case "file.upload.start" -> uploads.start(user, UploadMessages.start(payload));
                case "file.upload.chunk" -> {
                    UploadMessages.Chunk chunk = UploadMessages.chunk(payload, message.data());
                    yield uploads.chunk(user, chunk.sessionId(), chunk.index(), chunk.data());
                }
                case "file.upload.pause" -> uploads.pause(user, UploadMessages.sessionId(payload));
                default -> uploads.resume(user, UploadMessages.sessionId(payload));
            };
            hub.send(connection, NodeFrames.uploadProgress(progress));
            if (progress.status() == UploadStatus.COMPLETED && !type.equals("file.upload.pause")) {
                hub.send(connection, NodeFrames.uploadComplete(progress));
            }
        } catch (UploadException e) {
            hub.send(connection, NodeFrames.uploadError(e));
        } catch (RuntimeException e) {
            String incident = faults.report("upload", "An upload message failed inside the server", e);
            hub.send(connection, NodeFrames.uploadError(new UploadException(Uploads.WRITE_FAILED, "", "Internal error, incident " + incident)));
        }
    }

    /**
     * A search runs off the reader (it reads the database and waits for peers); at most
     * {@code node.search.max-in-flight} of one connection's run at once, a further one is answered at once with
     * {@code error} and {@code complete: true}.
     */
    private void search(jakarta.json.JsonValue payload) {
        Object query = NodeCodec.searchQuery(payload);
        if (query instanceof String fault) {
            hub.send(connection, NodeFrames.searchResponse(java.util.List.of(), "", "", fault, true));
            return;
        }
        if (searchesInFlight.incrementAndGet() > maxSearchesInFlight) {
            searchesInFlight.decrementAndGet();
            hub.send(connection, NodeFrames.searchResponse(java.util.List.of(), "", "",
                    "Too many searches in progress on this connection (at most " + maxSearchesInFlight
                            + "); wait for one to complete", true));
            return;
        }
        Connection c = connection;
        java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
        ServiceSearch.Sink sink = new ServiceSearch.Sink() {
            @Override
            public void partial(String peerId, String peerName, java.util.List<dev.switchboard.service.entity.ServiceView> services) {
                hub.send(c, NodeFrames.searchResponse(services, peerId, peerName, "", false));
            }

            @Override
            public void complete(String error) {
                if (ended.compareAndSet(false, true)) {
                    searchesInFlight.decrementAndGet();
                    hub.send(c, NodeFrames.searchResponse(java.util.List.of(), "", "", error, true));
                }
            }
        };
        try {
            sockets.background(() -> {
                try {
                    search.search((ServiceSearch.Query) query, sink);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "node.search.failed connection=" + c.id(), e);
                    sink.complete("Search failed");
                }
            });
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "node.search.refused connection=" + c.id(), e);
            sink.complete("Search failed");
        }
    }

    @OnMessage
    public void binary(ByteBuffer data) {
        hub.received(connection, data.remaining());
        hub.send(connection, NodeFrames.error(NodeCodec.INVALID_MESSAGE, "Binary frames are not part of the node protocol"));
    }

    @OnMessage
    public void pong(PongMessage pong) {
        hub.pong(connection);
    }

    @OnClose
    public void close(Session session, CloseReason reason) {
        sockets.closed(session);
        if (connection != null) {
            hub.closed(connection);
        }
    }

    @OnError
    public void error(Session session, Throwable failure) {
        LOG.log(Level.FINE, "node.socket.error session=" + session.getId(), failure);
        if (connection != null && !session.isOpen()) {
            hub.closed(connection);
        }
    }

    private static String truncate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }
}
