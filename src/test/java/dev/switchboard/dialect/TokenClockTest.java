package dev.switchboard.dialect;

import org.junit.jupiter.api.Test;

import dev.switchboard.hub.RecordingTransport;
import dev.switchboard.hub.boundary.Hub;
import dev.switchboard.hub.control.Connection;
import dev.switchboard.hub.entity.Disconnect;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The token clock's sweep: what is due runs once, in order; what is cancelled or not yet due does not. */
class TokenClockTest {

    private final List<String> ran = new ArrayList<>();

    private static final long WARNING_SECONDS = 300;

    private TokenClock clock() {
        return new TokenClock();
    }

    @Test
    void anExpiredTokenWarnsThenEndsAtTheNextSweepOnce() {
        TokenClock clock = clock();
        clock.watch(Instant.now().minusSeconds(1), WARNING_SECONDS, () -> ran.add("warn"), () -> ran.add("end"));
        clock.runDue();
        clock.runDue();
        assertEquals(List.of("warn", "end"), ran);
    }

    @Test
    void aTokenCloseToExpiryWarnsAtOnceAndEndsLater() {
        TokenClock clock = clock();
        clock.watch(Instant.now().plusSeconds(60), WARNING_SECONDS, () -> ran.add("warn"), () -> ran.add("end"));
        clock.runDue();
        assertEquals(List.of("warn"), ran, "60 s left is inside the 300 s warning window; the end is not due");
    }

    @Test
    void cancelledDeadlinesNeverRunAndOthersStillDo() {
        TokenClock clock = clock();
        Runnable cancel = clock.watch(Instant.now().minusSeconds(1), WARNING_SECONDS, () -> ran.add("a-warn"), () -> ran.add("a-end"));
        clock.watch(Instant.now().minusSeconds(1), WARNING_SECONDS, () -> {
            throw new IllegalStateException("a failing task");
        }, () -> ran.add("b-end"));
        clock.watch(Instant.now().plusSeconds(3600), WARNING_SECONDS, () -> ran.add("c-warn"), () -> ran.add("c-end"));
        cancel.run();
        clock.runDue();
        assertEquals(List.of("b-end"), ran, "a cancelled, b's failing warning does not stop b's end, c not due");
    }

    @Test
    void withoutAWarningOnlyTheEndRuns() {
        TokenClock clock = clock();
        clock.watch(Instant.now().minusSeconds(1), WARNING_SECONDS, null, () -> ran.add("end"));
        clock.runDue();
        assertEquals(List.of("end"), ran);
    }

    @Test
    void aConnectionIsClosedWith4001AtExpiry() {
        TokenClock clock = clock();
        clock.hub = Hub.standalone(16);
        RecordingTransport transport = new RecordingTransport(true);
        Connection c = clock.hub.open("node", "alice", transport);
        clock.closeAtExpiry(c, Instant.now().minusSeconds(1), 0, null);
        clock.runDue();
        assertEquals(List.of(new Disconnect(4001, "Token expired")), transport.closes);
        assertEquals(0, clock.hub.connectionCount("node"));
    }

    @Test
    void aConnectionClosedBeforeItsExpiryIsLeftAlone() {
        TokenClock clock = clock();
        clock.hub = Hub.standalone(16);
        RecordingTransport transport = new RecordingTransport(true);
        Connection c = clock.hub.open("node", "alice", transport);
        c.whenGone(clock.closeAtExpiry(c, Instant.now().minusSeconds(1), 0, null));
        clock.hub.closed(c);
        clock.runDue();
        assertEquals(List.of(), transport.closes);
    }
}
