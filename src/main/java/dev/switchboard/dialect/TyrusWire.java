package dev.switchboard.dialect;

import dev.switchboard.hub.entity.Transport;
import jakarta.websocket.Session;
import org.glassfish.tyrus.spi.CompletionHandler;
import org.glassfish.tyrus.spi.Writer;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes finished WebSocket frames straight to Tyrus's connection writer, so that a frame sent to many connections
 * is framed and UTF-8-encoded once ({@link dev.switchboard.hub.entity.Frame#wire()}) instead of once per connection.
 * Through the standard API Tyrus builds a new text frame, encoder and header for every connection (about a quarter of
 * the CPU of a 1,000-subscriber fan-out); the writer underneath takes whole frames, queues them when the socket is
 * not writable and reports completion, which is all the hub needs.
 *
 * <p>The writer is reached through private fields of Tyrus ({@code TyrusRemoteEndpoint.webSocket},
 * {@code TyrusWebSocket.protocolHandler}, {@code ProtocolHandler.writer}) and Tyrus's own SPI types. On any other
 * container or Tyrus version, or with {@code switchboard.tyrus.raw-frames=false}, {@link #of} finds nothing and the
 * standard API is used. Only unfragmented, uncompressed text frames are written this way (an uncompressed frame is
 * valid under permessage-deflate too); control frames and closes still go through Tyrus, and its writer keeps every
 * frame whole and in order.</p>
 */
final class TyrusWire {

    private static final Logger LOG = Logger.getLogger(TyrusWire.class.getName());
    private static volatile boolean unavailable;

    private final Writer writer;

    private TyrusWire(Writer writer) {
        this.writer = writer;
    }

    /** The session's frame writer, or empty when this is not a Tyrus session this class knows. */
    static Optional<TyrusWire> of(Session session) {
        if (unavailable) {
            return Optional.empty();
        }
        try {
            return Optional.of(new TyrusWire(writerOf(session)));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            unavailable = true;
            LOG.log(Level.INFO, "tyrus.raw-frames unavailable, using the standard send path: " + e);
        }
        return Optional.empty();
    }

    /** Tyrus's connection writer behind a session (under the servlet container, a {@code TyrusServletWriter}). */
    static Writer writerOf(Session session) throws ReflectiveOperationException {
        Object remote = session.getAsyncRemote();
        Object socket = read(remote, "org.glassfish.tyrus.core.TyrusRemoteEndpoint", "webSocket");
        Object protocol = read(socket, "org.glassfish.tyrus.core.TyrusWebSocket", "protocolHandler");
        Object writer = read(protocol, "org.glassfish.tyrus.core.ProtocolHandler", "writer");
        if (writer instanceof Writer w) {
            return w;
        }
        throw new NoSuchFieldException("ProtocolHandler.writer is a " + writer.getClass().getName());
    }

    private static Object read(Object target, String declaringClass, String field) throws ReflectiveOperationException {
        for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals(declaringClass)) {
                Field f = c.getDeclaredField(field);
                f.setAccessible(true);
                Object value = f.get(target);
                if (value == null) {
                    throw new NoSuchFieldException(declaringClass + "." + field + " is null");
                }
                return value;
            }
        }
        throw new NoSuchFieldException(target.getClass().getName() + " is not a " + declaringClass);
    }

    /** Starts writing one whole frame; {@code done} hears once, possibly on this thread. */
    void write(byte[] frame, Transport.SendCallback done) {
        writer.write(ByteBuffer.wrap(frame), new CompletionHandler<>() {
            @Override
            public void completed(ByteBuffer result) {
                done.completed(null);
            }

            @Override
            public void failed(Throwable failure) {
                done.completed(failure);
            }

            @Override
            public void cancelled() {
                done.completed(new CancellationException("write cancelled"));
            }
        });
    }
}
