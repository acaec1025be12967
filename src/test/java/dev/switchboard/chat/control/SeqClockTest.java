package dev.switchboard.chat.control;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeqClockTest {

    @Test
    void positionsIncreaseWithinAMillisecondAndWhenTheClockStepsBack() {
        SeqClock clock = new SeqClock();
        long a = clock.next(1_704_993_600_001L);
        long b = clock.next(1_704_993_600_001L);
        long c = clock.next(1_704_993_600_000L);
        assertEquals("msg_1704993600001_0", SeqClock.id(a));
        assertEquals("msg_1704993600001_1", SeqClock.id(b));
        assertEquals("msg_1704993600001_2", SeqClock.id(c));
        assertEquals(1_704_993_600_005_000L, clock.next(1_704_993_600_005L));
    }

    @Test
    void aThousandInOneMillisecondBorrowTheNext() {
        SeqClock clock = new SeqClock();
        long last = 0;
        for (int i = 0; i < 1001; i++) {
            long s = clock.next(7);
            assertTrue(s > last);
            last = s;
        }
        assertEquals("msg_8_0", SeqClock.id(last));
    }

    @Test
    void aRestartResumesAfterTheLastStoredPosition() {
        SeqClock clock = new SeqClock();
        clock.resumeAfter(SeqClock.parse("msg_5000_7"));
        assertEquals("msg_5000_8", SeqClock.id(clock.next(4000)));
    }

    @Test
    void idsParseBackAndNothingElseDoes() {
        assertEquals(1_704_993_600_001_042L, SeqClock.parse("msg_1704993600001_42"));
        for (String bad : new String[] {null, "", "msg_", "msg_1", "msg_1_", "msg__1", "msg_a_1", "msg_1_1000", "msg_-1_0",
                "msg_1_-1", "x_1_1", "msg_99999999999999999999_0"}) {
            assertEquals(-1, SeqClock.parse(bad), bad);
        }
    }

    @Test
    void instancesOnDifferentSlotsNeverMakeTheSameIdAndEachStaysOrdered() {
        SeqClock a = new SeqClock();
        SeqClock b = new SeqClock();
        a.slot(0, SeqClock.SLOTS);
        b.slot(5, SeqClock.SLOTS);
        java.util.Set<Long> seen = new java.util.HashSet<>();
        long lastA = -1;
        long lastB = -1;
        for (int i = 0; i < 500; i++) {
            long now = 1_000 + i / 100; // 100 posts per millisecond on each: they borrow the next milliseconds
            long x = a.next(now);
            long y = b.next(now);
            org.junit.jupiter.api.Assertions.assertTrue(x > lastA && y > lastB);
            lastA = x;
            lastB = y;
            org.junit.jupiter.api.Assertions.assertTrue(seen.add(x) && seen.add(y), "collision at " + i);
            assertEquals(0, Math.floorMod(x, SeqClock.SLOTS));
            assertEquals(5, Math.floorMod(y, SeqClock.SLOTS));
        }
    }
}
