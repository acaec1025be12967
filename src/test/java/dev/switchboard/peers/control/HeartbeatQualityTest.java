package dev.switchboard.peers.control;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeartbeatQualityTest {

    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static Instant at(double seconds) {
        return T0.plusMillis(Math.round(seconds * 1000));
    }

    @Test
    void noBeatYetIsZero() {
        assertEquals(0, new HeartbeatQuality(SECOND).quality(T0));
    }

    @Test
    void everyBeatOnTimeAndPromptIsFull() {
        HeartbeatQuality q = new HeartbeatQuality(SECOND);
        for (int i = 0; i < 30; i++) {
            assertTrue(q.beat(at(i), at(i + 0.005)));
        }
        assertEquals(100, q.quality(at(29.5)));
        assertEquals(0, q.lost());
        assertEquals(30, q.received());
    }

    @Test
    void aGapOfThreeIntervalsIsTwoLostBeats() {
        HeartbeatQuality q = new HeartbeatQuality(SECOND);
        for (int i = 0; i < 8; i++) {
            q.beat(at(i), at(i));
        }
        q.beat(at(10), at(10));
        assertEquals(2, q.lost());
        // 9 received, 2 lost in the window
        assertEquals(Math.round(100.0 * 9 / 11), q.quality(at(10.2)));
    }

    @Test
    void jitterBelowHalfAnIntervalIsNoLoss() {
        HeartbeatQuality q = new HeartbeatQuality(SECOND);
        double t = 0;
        for (int i = 0; i < 20; i++) {
            t += i % 2 == 0 ? 1.4 : 0.6;
            q.beat(at(t), at(t));
        }
        assertEquals(0, q.lost());
        assertEquals(100, q.quality(at(t)));
    }

    @Test
    void silenceLowersTheFigureUntilItIsZero() {
        HeartbeatQuality q = new HeartbeatQuality(SECOND);
        for (int i = 0; i < 20; i++) {
            q.beat(at(i), at(i));
        }
        assertEquals(100, q.quality(at(19.4)));
        assertEquals(0, q.overdue(at(20.4)));
        int after3 = q.quality(at(22));
        int after10 = q.quality(at(29));
        assertEquals(Math.round(100.0 * 18 / 20), after3, "2 overdue of a window of 20");
        assertTrue(after10 < after3);
        assertEquals(0, q.quality(at(60)), "a whole window overdue");
        assertEquals(39, q.overdue(at(59)), "40 s after the last beat: the 39 that should have come since");
    }

    @Test
    void slowBeatsCostUpToFortyPoints() {
        HeartbeatQuality q = new HeartbeatQuality(SECOND);
        for (int i = 0; i < 10; i++) {
            q.beat(at(i), at(i + 0.250));
        }
        assertEquals(250, q.medianDelay());
        assertEquals(100 - (250 - 50) / 10, q.quality(at(9.3)));
        HeartbeatQuality slow = new HeartbeatQuality(Duration.ofSeconds(30));
        for (int i = 0; i < 10; i++) {
            slow.beat(at(i * 30), at(i * 30 + 5));
        }
        assertEquals(60, slow.quality(at(9 * 30 + 5)));
    }

    @Test
    void aClockAheadOfOursIsNoNegativeDelay() {
        HeartbeatQuality q = new HeartbeatQuality(SECOND);
        q.beat(at(5), at(0));
        q.beat(at(6), at(1));
        assertEquals(0, q.medianDelay());
        assertEquals(100, q.quality(at(1)));
    }

    @Test
    void duplicatesAndOvertakenBeatsAreIgnored() {
        HeartbeatQuality q = new HeartbeatQuality(SECOND);
        assertTrue(q.beat(at(1), at(1)));
        assertTrue(q.beat(at(2), at(2)));
        assertFalse(q.beat(at(2), at(2.1)), "the same beat twice");
        assertFalse(q.beat(at(1.5), at(2.2)), "sent before the last one counted");
        assertEquals(2, q.received());
        assertEquals(at(2), q.lastArrival());
    }

    @Test
    void aLongOutageCountsAtMostAWindowOfLosses() {
        HeartbeatQuality q = new HeartbeatQuality(SECOND);
        q.beat(at(0), at(0));
        q.beat(at(1000), at(1000));
        assertEquals(HeartbeatQuality.WINDOW, q.lost());
        assertEquals(Math.round(100.0 * 1 / HeartbeatQuality.WINDOW), q.quality(at(1000)));
        for (int i = 1; i <= HeartbeatQuality.WINDOW; i++) {
            q.beat(at(1000 + i), at(1000 + i));
        }
        assertEquals(100, q.quality(at(1000 + HeartbeatQuality.WINDOW)), "recovered once a window of beats came");
    }
}
