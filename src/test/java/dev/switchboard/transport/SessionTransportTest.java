package dev.switchboard.transport;

import dev.switchboard.hub.entity.Frame;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The raw-frame path's own write timeout, with a frame writer that holds writes (no socket in a unit test). */
class SessionTransportTest {

    /** A session whose only use here is handing out an async remote that accepts a send timeout. */
    private static Session session() {
        RemoteEndpoint.Async remote = (RemoteEndpoint.Async) Proxy.newProxyInstance(SessionTransportTest.class.getClassLoader(),
                new Class<?>[] {RemoteEndpoint.Async.class}, (p, m, a) -> null);
        return (Session) Proxy.newProxyInstance(SessionTransportTest.class.getClassLoader(), new Class<?>[] {Session.class},
                (p, m, a) -> switch (m.getName()) {
                    case "getAsyncRemote" -> remote;
                    case "getId" -> "test";
                    case "getMaxTextMessageBufferSize", "getMaxBinaryMessageBufferSize" -> 65536;
                    default -> null;
                });
    }

    @Test
    void aWritePendingPastTheTimeoutFailsOnceAndItsLateCompletionIsIgnored() {
        List<SessionTransport.SendCallback> held = new CopyOnWriteArrayList<>();
        List<Frame> written = new CopyOnWriteArrayList<>();
        SessionTransport t = new SessionTransport(session(), 1_000, Runnable::run, 0, (frame, done) -> {
            written.add(frame);
            held.add(done);
        });
        List<Throwable> outcomes = new CopyOnWriteArrayList<>();
        Frame f = Frame.of("{\"x\":1}");
        long start = System.nanoTime();
        t.send(f, failure -> outcomes.add(failure == null ? new Throwable("ok") : failure));
        assertSame(f, written.get(0), "the frame goes to the writer");

        t.checkWrite(start + 999_000_000L);
        assertTrue(outcomes.isEmpty(), "not yet timed out");
        t.checkWrite(start + 2_000_000_000L);
        assertEquals(1, outcomes.size());
        assertInstanceOf(SocketTimeoutException.class, outcomes.get(0));
        t.checkWrite(start + 3_000_000_000L);
        held.get(0).completed(null);
        assertEquals(1, outcomes.size(), "reported once");
    }

    @Test
    void aCompletedWriteIsReportedAndNeverTimesOut() {
        SessionTransport t = new SessionTransport(session(), 1_000, Runnable::run, 0, (frame, done) -> done.completed(null));
        List<Throwable> outcomes = new CopyOnWriteArrayList<>();
        t.send(Frame.of("a"), failure -> outcomes.add(failure));
        t.checkWrite(System.nanoTime() + 5_000_000_000L);
        assertEquals(1, outcomes.size());
        assertNull(outcomes.get(0));
    }

    @Test
    void aWriterThatThrowsReportsTheFailure() {
        SessionTransport t = new SessionTransport(session(), 1_000, Runnable::run, 0, (frame, done) -> {
            throw new IllegalStateException("closed");
        });
        List<Throwable> outcomes = new CopyOnWriteArrayList<>();
        t.send(Frame.of("a"), outcomes::add);
        assertInstanceOf(IllegalStateException.class, outcomes.get(0));
    }
}
