package dev.switchboard.dialect.rtc;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The token clock's sweep: what is due runs once, in order; what is cancelled or not yet due does not. */
class RtcTokenClockTest {

    private final List<String> ran = new ArrayList<>();

    private RtcTokenClock clock() {
        RtcTokenClock clock = new RtcTokenClock();
        clock.warningSeconds = 300;
        return clock;
    }

    @Test
    void anExpiredTokenWarnsThenEndsAtTheNextSweepOnce() {
        RtcTokenClock clock = clock();
        clock.watch(Instant.now().minusSeconds(1), () -> ran.add("warn"), () -> ran.add("end"));
        clock.runDue();
        clock.runDue();
        assertEquals(List.of("warn", "end"), ran);
    }

    @Test
    void aTokenCloseToExpiryWarnsAtOnceAndEndsLater() {
        RtcTokenClock clock = clock();
        clock.watch(Instant.now().plusSeconds(60), () -> ran.add("warn"), () -> ran.add("end"));
        clock.runDue();
        assertEquals(List.of("warn"), ran, "60 s left is inside the 300 s warning window; the end is not due");
    }

    @Test
    void cancelledDeadlinesNeverRunAndOthersStillDo() {
        RtcTokenClock clock = clock();
        Runnable cancel = clock.watch(Instant.now().minusSeconds(1), () -> ran.add("a-warn"), () -> ran.add("a-end"));
        clock.watch(Instant.now().minusSeconds(1), () -> {
            throw new IllegalStateException("a failing task");
        }, () -> ran.add("b-end"));
        clock.watch(Instant.now().plusSeconds(3600), () -> ran.add("c-warn"), () -> ran.add("c-end"));
        cancel.run();
        clock.runDue();
        assertEquals(List.of("b-end"), ran, "a cancelled, b's failing warning does not stop b's end, c not due");
    }
}
