package dev.switchboard.dialect.control;

import dev.switchboard.auth.entity.TokenPrincipal;
import dev.switchboard.dialect.Admission;
import dev.switchboard.dialect.Clearances;
import dev.switchboard.dialect.HandshakeConfigurator;
import dev.switchboard.dialect.OpenRefusal;
import dev.switchboard.dialect.TokenClock;
import dev.switchboard.common.JsonText;
import dev.switchboard.transport.Sockets;
import dev.switchboard.hub.boundary.Hub;
import dev.switchboard.hub.control.Connection;

import jakarta.inject.Inject;
import jakarta.json.JsonException;
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
 * The {@code control} dialect at {@code /control/ws} (spec/control.md): push-only. Whatever a client sends is read
 * and ignored, and never closes the connection unless a message is over {@code control.max-message-bytes} (1009,
 * refused at its frame header before it is buffered, see the transport); an invalid JSON text is logged at FINE. A
 * token is optional unless {@code control.auth.required} (checked here again: without one, close 1008); without one,
 * job output and error text are withheld ({@link ControlPushes}); a connection made with a token is closed at its
 * {@code exp} (4001).
 */
@ServerEndpoint(value = ControlDialect.PATH, configurator = HandshakeConfigurator.class)
public class ControlEndpoint {

    static final String DIALECT = ControlDialect.NAME;
    private static final Logger LOG = Logger.getLogger(ControlEndpoint.class.getName());

    @Inject
    Hub hub;

    @Inject
    Sockets sockets;

    @Inject
    ControlDialect dialect;

    @Inject
    TokenClock tokens;

    /** Texts up to this size are parsed to log whether they were JSON; larger ones are only counted. */
    @Inject
    @ConfigProperty(name = "control.inspect-max-bytes", defaultValue = "4096")
    int inspectMaxBytes;

    /** Largest inbound message (a frame, or a fragmented message's frames together); larger closes with 1009. */
    @Inject
    @ConfigProperty(name = "control.max-message-bytes", defaultValue = "65536")
    int maxMessageBytes;

    private Connection connection;
    private StringBuilder text;
    private boolean tooLong;

    @OnOpen
    public void open(Session session) {
        Admission admission = Admission.claim(session, dialect);
        if (admission == null) {
            LOG.warning(() -> "control.open.refused reason=not-admitted session=" + session.getId());
            OpenRefusal.refuse(session, null, "Authentication required", sockets::background);
            return;
        }
        session.setMaxTextMessageBufferSize(maxMessageBytes);
        session.setMaxBinaryMessageBufferSize(maxMessageBytes);
        TokenPrincipal token = admission.token();
        connection = hub.open(DIALECT, token == null ? null : token.getName(), Clearances.of(token), sockets.transport(session));
        connection.whenGone(admission::release);
        if (token != null) {
            connection.whenGone(tokens.closeAtExpiry(connection, token.expiresAt(), 0, null));
        }
    }

    @OnMessage
    public void text(String part, boolean last) {
        hub.received(connection, part.length());
        if (text == null) {
            text = new StringBuilder();
            tooLong = false;
        }
        if (!tooLong && text.length() + part.length() <= inspectMaxBytes) {
            text.append(part);
        } else {
            tooLong = true;
            text.setLength(0);
        }
        if (last) {
            if (!tooLong && LOG.isLoggable(Level.FINE)) {
                try {
                    JsonText.parse(text.toString());
                    LOG.fine(() -> "control.message.ignored connection=" + connection.id() + " reason=push-only");
                } catch (JsonException e) {
                    LOG.fine(() -> "control.message.ignored connection=" + connection.id() + " reason=invalid-json");
                }
            }
            text = null;
        }
    }

    @OnMessage
    public void binary(ByteBuffer part, boolean last) {
        hub.received(connection, part.remaining());
    }

    @OnMessage
    public void pong(PongMessage pong) {
        hub.pong(connection);
    }

    @OnClose
    public void close(Session session) {
        sockets.closed(session);
        if (connection != null) {
            hub.closed(connection);
        }
    }

    @OnError
    public void error(Session session, Throwable failure) {
        LOG.log(Level.FINE, "control.socket.error session=" + session.getId(), failure);
        if (connection != null && !session.isOpen()) {
            hub.closed(connection);
        }
    }
}
