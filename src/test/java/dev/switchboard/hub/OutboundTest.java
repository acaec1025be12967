package dev.switchboard.hub;

import dev.switchboard.hub.control.Outbound;
import dev.switchboard.hub.entity.Frame;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutboundTest {

    private final List<Frame> written = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Outbound.Listener listener = new Outbound.Listener() {
        @Override
        public void written(Frame frame) {
            written.add(frame);
        }

        @Override
        public void failed(Throwable t) {
            failure.set(t);
        }
    };

    @Test
    void oneWriteInFlightTheRestQueuedInOrder() {
        RecordingTransport t = new RecordingTransport(false);
        Outbound out = new Outbound(t, 10, listener);
        for (int i = 0; i < 5; i++) {
            assertTrue(out.offer(Frame.of("f" + i)));
        }
        assertEquals(List.of("f0"), t.sent);
        assertEquals(4, out.queued());
        for (int i = 0; i < 5; i++) {
            t.complete();
        }
        assertEquals(List.of("f0", "f1", "f2", "f3", "f4"), t.sent);
        assertEquals(5, written.size());
        assertEquals(0, out.queued());
    }

    @Test
    void overflowRefusesAndStaysRefusing() {
        RecordingTransport t = new RecordingTransport(false);
        Outbound out = new Outbound(t, 3, listener);
        assertTrue(out.offer(Frame.of("in flight")));
        assertTrue(out.offer(Frame.of("q1")));
        assertTrue(out.offer(Frame.of("q2")));
        assertTrue(out.offer(Frame.of("q3")));
        assertFalse(out.offer(Frame.of("one too many")));
        t.complete();
        assertFalse(out.offer(Frame.of("after overflow")), "an overflowed queue stays closed");
        assertEquals(List.of("in flight"), t.sent);
    }

    @Test
    void inlineCompletionsDrainWithoutRecursion() {
        // a transport that completes on the calling thread: 200,000 queued frames must not overflow the stack
        RecordingTransport held = new RecordingTransport(false);
        Outbound out = new Outbound(new dev.switchboard.hub.entity.Transport() {
            boolean first = true;

            @Override
            public void send(Frame frame, SendCallback done) {
                if (first) {
                    first = false;
                    held.send(frame, done);
                } else {
                    done.completed(null);
                }
            }

            @Override
            public void ping() {
            }

            @Override
            public void close(dev.switchboard.hub.entity.Disconnect reason) {
            }
        }, 300_000, listener);
        out.offer(Frame.of("first"));
        for (int i = 0; i < 200_000; i++) {
            out.offer(Frame.of("x"));
        }
        held.complete();
        assertEquals(200_001, written.size());
        assertEquals(0, out.queued());
    }

    @Test
    void aFailedWriteIsReportedAndClosesTheQueue() {
        RecordingTransport t = new RecordingTransport(false);
        Outbound out = new Outbound(t, 10, listener);
        out.offer(Frame.of("a"));
        out.offer(Frame.of("b"));
        t.fail(new IOException("broken pipe"));
        assertInstanceOf(IOException.class, failure.get());
        assertFalse(out.offer(Frame.of("c")));
        assertEquals(List.of("a"), t.sent);
    }

    @Test
    void drainThenWritesWhatIsQueuedRefusesMoreAndRunsOnceAfterTheLastWrite() {
        RecordingTransport t = new RecordingTransport(false);
        Outbound out = new Outbound(t, 10, listener);
        out.offer(Frame.of("a"));
        out.offer(Frame.of("last"));
        int[] ran = {0};
        out.drainThen(() -> ran[0]++);
        assertFalse(out.offer(Frame.of("late")), "nothing is accepted once draining");
        assertEquals(0, ran[0]);
        t.complete();
        assertEquals(List.of("a", "last"), t.sent);
        assertEquals(0, ran[0], "not before the last write completed");
        t.complete();
        assertEquals(1, ran[0]);
        assertEquals(2, written.size());
    }

    @Test
    void drainThenOnAnIdleQueueRunsAtOnce() {
        Outbound out = new Outbound(new RecordingTransport(true), 10, listener);
        out.offer(Frame.of("x"));
        int[] ran = {0};
        out.drainThen(() -> ran[0]++);
        assertEquals(1, ran[0]);
    }

    @Test
    void framesThatQueuedBehindAWriteGoOutInOneWriteUpToTheTransportsLimit() {
        RecordingTransport t = new RecordingTransport(false);
        t.coalesceBytes = 10;
        Outbound out = new Outbound(t, 100, listener);
        out.offer(Frame.of("first"));
        for (String s : List.of("aaaa", "bbbb", "cc", "dddddddddddd", "e")) {
            out.offer(Frame.of(s));
        }
        assertEquals(List.of("first"), t.sent, "nothing coalesces while the first write is in flight");
        t.complete();
        assertEquals(List.of(List.of("aaaa", "bbbb", "cc")), t.batches, "as many as fit in 10 bytes, in order");
        t.complete();
        assertEquals(List.of("first", "aaaa", "bbbb", "cc", "dddddddddddd"), t.sent,
                "a frame larger than the limit goes out alone");
        t.complete();
        assertEquals(List.of("first", "aaaa", "bbbb", "cc", "dddddddddddd", "e"), t.sent, "a lone frame needs no batch");
        assertEquals(1, t.batches.size());
        t.complete();
        assertEquals(6, written.size(), "every frame of a batch is reported written");
        assertEquals(0, out.queued());
    }

    @Test
    void aFailedBatchClosesTheQueueLikeAFailedFrame() {
        RecordingTransport t = new RecordingTransport(false);
        t.coalesceBytes = 1000;
        Outbound out = new Outbound(t, 100, listener);
        out.offer(Frame.of("first"));
        out.offer(Frame.of("b1"));
        out.offer(Frame.of("b2"));
        t.complete();
        t.fail(new IOException("broken pipe"));
        assertInstanceOf(IOException.class, failure.get());
        assertEquals(1, written.size(), "only the first frame was written");
        assertFalse(out.offer(Frame.of("late")));
    }

    @Test
    void withoutBatchesEveryFrameIsItsOwnWrite() {
        RecordingTransport t = new RecordingTransport(false);
        Outbound out = new Outbound(t, 100, listener);
        for (int i = 0; i < 4; i++) {
            out.offer(Frame.of("f" + i));
        }
        for (int i = 0; i < 4; i++) {
            t.complete();
        }
        assertTrue(t.batches.isEmpty());
        assertEquals(List.of("f0", "f1", "f2", "f3"), t.sent);
    }
}
