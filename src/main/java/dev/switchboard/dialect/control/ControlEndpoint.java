package dev.switchboard.dialect.control;

import dev.switchboard.dialect.Clearances;
import dev.switchboard.dialect.HandshakeConfigurator;
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
 * in parts and ignored, and does not close the connection unless a message is over {@code control.max-message-bytes}
 * (1009, refused at its frame header before it is buffered, see the transport); an invalid JSON text is logged at
 * FINE. A token is optional unless {@code control.auth.required}; without one, job output and error text are withheld
 * ({@link ControlPushes}).
 */
@ServerEndpoint(value = "/control/ws", configurator = HandshakeConfigurator.class)
public class ControlEndpoint {

    static final String DIALECT = "control";
    private static final Logger LOG = Logger.getLogger(ControlEndpoint.class.getName());

    @Inject
    Hub hub;

    @Inject
    Sockets sockets;

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
        session.setMaxTextMessageBufferSize(maxMessageBytes);
        session.setMaxBinaryMessageBufferSize(maxMessageBytes);
        String user = session.getUserPrincipal() == null ? null : session.getUserPrincipal().getName();
        connection = hub.open(DIALECT, user, Clearances.of(session.getUserPrincipal()), sockets.transport(session));
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
    public void close() {
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
