package dev.switchboard.transport.tyrus;

import dev.switchboard.hub.entity.Transport;
import org.glassfish.grizzly.CompletionHandler;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.WriteResult;
import org.glassfish.grizzly.asyncqueue.AsyncQueueEnabledTransport;
import org.glassfish.grizzly.asyncqueue.AsyncQueueWriter;
import org.glassfish.grizzly.memory.HeapBuffer;
import org.glassfish.grizzly.ssl.SSLUtils;

import java.util.Deque;
import java.util.concurrent.CancellationException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Puts finished frames straight on the connection's Grizzly write queue. Through Tyrus's writer a frame passes the
 * servlet output stream, Catalina's and Grizzly's HTTP output buffers and the HTTP filter chain, which for an
 * upgraded connection copy the bytes and pass them on unchanged: about a fifth of the server's CPU in a
 * 1,000-subscriber fan-out. Grizzly's async queue writer underneath writes at once when the socket takes it,
 * queues otherwise, keeps each write whole and in order, and reports completion.
 *
 * <p>Tyrus still writes its own frames (pongs, closes) its way. To keep every frame whole and in order, a frame
 * goes out here only under the monitor that Tyrus's servlet writer holds for each of its writes, and only while that
 * writer has nothing waiting; otherwise it goes through Tyrus's writer, behind what waits. Only plain connections
 * are written to this way: on TLS the filter chain encrypts, so a connection with an SSL engine keeps Tyrus's path.
 * The connection is reached through private fields of Tyrus and of Payara's Catalina and Grizzly
 * ({@link TyrusInternals}); anywhere else nothing changes.</p>
 */
final class GrizzlyWire {

    private static final Logger LOG = Logger.getLogger(GrizzlyWire.class.getName());
    private static volatile boolean unavailable;
    private static volatile boolean announced;

    private final Object tyrusWriter;
    private final Deque<?> tyrusQueue;
    @SuppressWarnings("rawtypes")
    private final Connection connection;
    @SuppressWarnings("rawtypes")
    private final AsyncQueueWriter writer;

    @SuppressWarnings("rawtypes")
    private GrizzlyWire(Object tyrusWriter, Deque<?> tyrusQueue, Connection connection, AsyncQueueWriter writer) {
        this.tyrusWriter = tyrusWriter;
        this.tyrusQueue = tyrusQueue;
        this.connection = connection;
        this.writer = writer;
    }

    /** The direct path behind Tyrus's servlet writer, or null where there is none (not Payara, TLS, other versions). */
    @SuppressWarnings("rawtypes")
    static GrizzlyWire of(Object tyrusWriter) {
        if (unavailable) {
            return null;
        }
        try {
            Connection<?> c = TyrusInternals.grizzlyConnection(tyrusWriter);
            Object queue = TyrusInternals.read(tyrusWriter, "org.glassfish.tyrus.servlet.TyrusServletWriter", "queue");
            if (!(queue instanceof Deque<?> q)) {
                throw new NoSuchFieldException("TyrusServletWriter.queue is a " + queue.getClass().getName());
            }
            if (SSLUtils.getSSLEngine(c) != null) {
                return null;
            }
            if (!(c.getTransport() instanceof AsyncQueueEnabledTransport transport)) {
                throw new NoSuchFieldException(c.getTransport().getClass().getName() + " has no async write queue");
            }
            AsyncQueueWriter w = transport.getAsyncQueueIO().getWriter();
            if (!announced) {
                announced = true;
                LOG.info("grizzly.direct-writes active");
            }
            return new GrizzlyWire(tyrusWriter, q, c, w);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            unavailable = true;
            LOG.log(Level.INFO, "grizzly.direct-writes unavailable, frames go through Tyrus's writer: " + e);
            return null;
        }
    }

    /**
     * Starts writing one whole frame unless Tyrus has frames waiting (then returns false and does nothing);
     * {@code done} hears once, possibly on this thread.
     */
    @SuppressWarnings("unchecked")
    boolean write(byte[] frame, Transport.SendCallback done) {
        synchronized (tyrusWriter) {
            if (!tyrusQueue.isEmpty()) {
                return false;
            }
            // a plain heap buffer: the memory manager's wrap takes its wrapper from Grizzly's thread cache, a
            // ThreadLocal lookup that misses on every thread but Grizzly's own workers (the chat writer that
            // announces stored messages, the cluster's inbound thread): 16 % of a core in a 1,000-subscriber fan-out
            writer.write(connection, HeapBuffer.wrap(frame), new Completion(done));
            return true;
        }
    }

    @SuppressWarnings("rawtypes")
    private record Completion(Transport.SendCallback done) implements CompletionHandler<WriteResult> {
        @Override
        public void completed(WriteResult result) {
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

        @Override
        public void updated(WriteResult result) {
        }
    }
}
