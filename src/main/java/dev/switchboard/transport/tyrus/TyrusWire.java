package dev.switchboard.transport.tyrus;

import dev.switchboard.hub.entity.Transport;
import jakarta.websocket.Session;
import org.glassfish.tyrus.spi.CompletionHandler;
import org.glassfish.tyrus.spi.Writer;

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
 * standard API is used. Only unfragmented text frames are written this way, uncompressed or, for a connection with
 * permessage-deflate, compressed once per broadcast ({@link WireFrames.Shared}; an uncompressed frame is valid under
 * the extension too); control frames and closes still go through Tyrus, and its writer keeps every
 * frame whole and in order. Below Tyrus's writer, on plain connections, frames go straight to Grizzly's write queue
 * ({@link GrizzlyWire}).</p>
 */
final class TyrusWire {

    private static final Logger LOG = Logger.getLogger(TyrusWire.class.getName());
    private static volatile boolean unavailable;
    private static volatile boolean noGrizzly;

    private final Writer writer;
    private final GrizzlyWire direct;

    private TyrusWire(Writer writer, GrizzlyWire direct) {
        this.writer = writer;
        this.direct = direct;
    }

    /**
     * The session's frame writer, or empty when this is not a Tyrus session this class knows; with
     * {@code directWrites}, it writes to Grizzly's queue where it can ({@link GrizzlyWire}).
     */
    static Optional<TyrusWire> of(Session session, boolean directWrites) {
        if (unavailable) {
            return Optional.empty();
        }
        try {
            Writer writer = TyrusInternals.writerOf(session);
            return Optional.of(new TyrusWire(writer, directWrites ? direct(writer) : null));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            unavailable = true;
            LOG.log(Level.INFO, "tyrus.raw-frames unavailable, using the standard send path: " + e);
        }
        return Optional.empty();
    }

    private static GrizzlyWire direct(Writer writer) {
        if (noGrizzly) {
            return null;
        }
        try {
            return GrizzlyWire.of(writer);
        } catch (LinkageError e) { // Grizzly's classes are not visible to the application here
            noGrizzly = true;
            LOG.log(Level.INFO, "grizzly.direct-writes unavailable, frames go through Tyrus's writer: " + e);
            return null;
        }
    }

    /** Starts writing one whole frame; {@code done} hears once, possibly on this thread. */
    void write(byte[] frame, Transport.SendCallback done) {
        if (direct != null && direct.write(frame, done)) {
            return;
        }
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
