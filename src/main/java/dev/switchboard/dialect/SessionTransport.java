package dev.switchboard.dialect;

import dev.switchboard.hub.entity.Disconnect;
import dev.switchboard.hub.entity.Transport;

import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
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
 */
public final class SessionTransport implements Transport {

    private static final Logger LOG = Logger.getLogger(SessionTransport.class.getName());
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final ClassLoader LEAN = ClassLoader.getPlatformClassLoader();

    private final Session session;
    private final RemoteEndpoint.Async remote;
    private final Executor closer;
    private final ClassLoader application;

    public SessionTransport(Session session, long writeTimeoutMillis, Executor closer) {
        this.session = session;
        this.remote = session.getAsyncRemote();
        this.remote.setSendTimeout(writeTimeoutMillis);
        this.closer = closer;
        this.application = Thread.currentThread().getContextClassLoader();
    }

    @Override
    public void send(String frame, SendCallback done) {
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(LEAN);
        try {
            remote.sendText(frame, result -> withApplicationLoader(() -> done.completed(result.isOK() ? null : result.getException())));
        } catch (RuntimeException e) {
            withApplicationLoader(() -> done.completed(e));
        } finally {
            thread.setContextClassLoader(before);
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
