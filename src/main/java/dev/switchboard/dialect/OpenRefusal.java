package dev.switchboard.dialect;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * How an endpoint refuses a connection from {@code @OnOpen}, before it is registered with the hub: an optional last
 * text frame (the dialect's own error), then close 1008 a moment after it was written. Closing at once (from
 * {@code @OnOpen}, or as soon as the frame is out) races with the upgrade request that is still finishing: the close
 * frame never arrives, or Grizzly logs an NPE in finishResponse.
 */
public final class OpenRefusal {

    static final long CLOSE_DELAY_MS = 200;
    private static final Logger LOG = Logger.getLogger(OpenRefusal.class.getName());

    private OpenRefusal() {
    }

    /** @param frame a last text frame, or null; @param executor runs the close (a managed one: {@code Sockets::background}) */
    public static void refuse(Session session, String frame, String reason, Executor executor) {
        Runnable close = () -> CompletableFuture.runAsync(() -> close(session, reason),
                CompletableFuture.delayedExecutor(CLOSE_DELAY_MS, TimeUnit.MILLISECONDS, executor));
        if (frame == null) {
            close.run();
            return;
        }
        try {
            session.getAsyncRemote().sendText(frame, result -> close.run());
        } catch (RuntimeException e) {
            close.run();
        }
    }

    private static void close(Session session, String reason) {
        try {
            if (session.isOpen()) {
                session.close(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY,
                        reason.length() > 120 ? reason.substring(0, 120) : reason));
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "ws.refusal.close-failed session=" + session.getId(), e);
        }
    }
}
