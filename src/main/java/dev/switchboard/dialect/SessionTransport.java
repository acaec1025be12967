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

/** The hub's {@link Transport} over a Jakarta WebSocket session: asynchronous text writes, non-blocking close. */
public final class SessionTransport implements Transport {

    private static final Logger LOG = Logger.getLogger(SessionTransport.class.getName());
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final Session session;
    private final RemoteEndpoint.Async remote;
    private final Executor closer;

    public SessionTransport(Session session, long writeTimeoutMillis, Executor closer) {
        this.session = session;
        this.remote = session.getAsyncRemote();
        this.remote.setSendTimeout(writeTimeoutMillis);
        this.closer = closer;
    }

    @Override
    public void send(String frame, SendCallback done) {
        try {
            remote.sendText(frame, result -> done.completed(result.isOK() ? null : result.getException()));
        } catch (RuntimeException e) {
            done.completed(e);
        }
    }

    @Override
    public void ping() {
        try {
            remote.sendPing(EMPTY.duplicate());
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "ws.ping.failed session=" + session.getId(), e);
        }
    }

    @Override
    public void close(Disconnect reason) {
        closer.execute(() -> {
            try {
                if (session.isOpen()) {
                    session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(reason.code()), reason.reason()));
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.FINE, "ws.close.failed session=" + session.getId(), e);
            }
        });
    }
}
