package dev.switchboard.transport;


import dev.switchboard.hub.entity.Disconnect;
import dev.switchboard.hub.entity.Frame;
import dev.switchboard.hub.entity.Transport;

import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The hub's {@link Transport} over a Jakarta WebSocket session: asynchronous text writes, non-blocking close.
 *
 * <p>Every send makes Tyrus re-arm the session's idle timer on the container's managed scheduled executor, and
 * Payara captures thread context for each such task by a {@code ServiceLoader} scan of the thread's context class
 * loader: with the application's loader that reads every jar of the WAR and the server, tens of microseconds per
 * frame, more than the write itself (measured with JFR; see the README's benchmark notes). Sends therefore run with
 * the platform class loader as context loader, which makes the scan empty; our own callbacks get the application's
 * loader back.</p>
 *
 * <p>When the container adapter has a frame writer for the session ({@link ContainerAdapter#writer}; Tyrus's on Payara),
 * frames go out through it instead, encoded once per broadcast, and this class times the write itself
 * ({@link #checkWrite}); the standard path above is the portable one.</p>
 */
public final class SessionTransport implements Transport {

    private static final Logger LOG = Logger.getLogger(SessionTransport.class.getName());
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final ClassLoader LEAN = ClassLoader.getPlatformClassLoader();

    private final Session session;
    private final RemoteEndpoint.Async remote;
    private final Executor closer;
    private final ClassLoader application;
    private final FrameWriter wire;
    private final long writeTimeoutNanos;
    private final int maxMessageBytes;
    private final int coalesceBytes;
    private volatile InFlight inFlight;
    private String clientAddress;

    /**
     * @param coalesceBytes how many bytes of queued frames one write may carry when the writer takes batches (0 = never)
     * @param wire          the container adapter's frame writer for this session, or {@code null} for the standard API
     */
    public SessionTransport(Session session, long writeTimeoutMillis, Executor closer, int coalesceBytes, FrameWriter wire) {
        this.session = session;
        this.remote = session.getAsyncRemote();
        this.remote.setSendTimeout(writeTimeoutMillis);
        this.closer = closer;
        this.application = Thread.currentThread().getContextClassLoader();
        this.writeTimeoutNanos = writeTimeoutMillis * 1_000_000L;
        this.wire = wire;
        this.coalesceBytes = wire != null && wire.writesBatches() ? Math.max(0, coalesceBytes) : 0;
        // the endpoint set its limits before it made the transport. Undertow (WildFly) checks them only when a message
        // arrives in more than one read, and may deliver a larger one whole; the hub then closes with 1009 itself
        this.maxMessageBytes = Math.max(session.getMaxTextMessageBufferSize(), session.getMaxBinaryMessageBufferSize());
    }

    @Override
    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    /** Records the client's address as the container adapter found it (may be null). */
    SessionTransport withClientAddress(String address) {
        this.clientAddress = address;
        return this;
    }

    @Override
    public String clientAddress() {
        return clientAddress;
    }

    @Override
    public int coalesceBytes() {
        return coalesceBytes;
    }

    /** Frames that queued behind a write go out in one write through the adapter's writer (see {@link #coalesceBytes}). */
    @Override
    public void sendAll(List<Frame> frames, SendCallback done) {
        throughWire(done, write -> wire.writeAll(frames, write::finish));
    }

    @Override
    public void send(Frame frame, SendCallback done) {
        if (wire != null) {
            throughWire(done, write -> wire.write(frame, write::finish));
            return;
        }
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(LEAN);
        try {
            remote.sendText(frame.text(), result -> withApplicationLoader(() -> done.completed(result.isOK() ? null : result.getException())));
        } catch (RuntimeException e) {
            withApplicationLoader(() -> done.completed(e));
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    /** Starts a write through the adapter's writer, watched by {@link #checkWrite} until {@code done} hears. */
    private void throughWire(SendCallback done, Consumer<InFlight> start) {
        InFlight write = new InFlight(done, System.nanoTime());
        inFlight = write;
        try {
            start.accept(write);
        } catch (RuntimeException e) {
            write.finish(e);
        }
    }

    /** Tyrus's writer has no send timeout of its own: a write pending longer than the write timeout fails here. */
    @Override
    public void checkWrite(long nowNanos) {
        InFlight write = inFlight;
        if (write != null && nowNanos - write.startedNanos > writeTimeoutNanos) {
            write.finish(new SocketTimeoutException("Write timed out after " + writeTimeoutNanos / 1_000_000 + " ms"));
        }
    }

    /** One raw write; the first of its completion and its timeout reports. */
    private final class InFlight {
        private final SendCallback done;
        private final long startedNanos;
        private final AtomicBoolean finished = new AtomicBoolean();

        InFlight(SendCallback done, long startedNanos) {
            this.done = done;
            this.startedNanos = startedNanos;
        }

        void finish(Throwable failure) {
            if (finished.compareAndSet(false, true)) {
                if (inFlight == this) {
                    inFlight = null;
                }
                withApplicationLoader(() -> done.completed(failure));
            }
        }
    }

    private void withApplicationLoader(Runnable work) {
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(application);
        try {
            work.run();
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    @Override
    public void ping() {
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(LEAN);
        try {
            remote.sendPing(EMPTY.duplicate());
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "ws.ping.failed session=" + session.getId(), e);
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    @Override
    public void close(Disconnect reason) {
        closer.execute(() -> withApplicationLoader(() -> {
            try {
                if (session.isOpen()) {
                    session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(reason.code()), reason.reason()));
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.FINE, "ws.close.failed session=" + session.getId(), e);
            }
        }));
    }
}
