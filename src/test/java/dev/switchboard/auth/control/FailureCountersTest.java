package dev.switchboard.auth.control;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FailureCountersTest {

    @Test
    void freeFailuresThenDoublingBackoffUpToTheCap() {
        FailureCounters c = new FailureCounters(3, 1000, 8000, 60_000, 100);
        long t = 1_000;
        for (int i = 0; i < 3; i++) {
            assertTrue(c.check("admin", t).allowed());
            c.failed("admin", t);
        }
        assertTrue(c.check("admin", t).allowed(), "three free failures lock nothing");
        c.failed("admin", t); // the 4th: 1 s
        assertEquals(1000, c.check("admin", t).retryAfterMillis());
        assertFalse(c.check("admin", t + 999).allowed());
        assertTrue(c.check("admin", t + 1000).allowed());
        c.failed("admin", t + 1000); // the 5th: 2 s
        assertEquals(2000, c.check("admin", t + 1000).retryAfterMillis());
        c.failed("admin", t + 3000); // 4 s
        c.failed("admin", t + 7000); // 8 s
        c.failed("admin", t + 15_000); // would be 16 s: capped at 8
        assertEquals(8000, c.check("admin", t + 15_000).retryAfterMillis());
        for (int i = 0; i < 200; i++) {
            c.failed("admin", t + 23_000);
        }
        assertEquals(8000, c.check("admin", t + 23_000).retryAfterMillis(), "no overflow however many failures");
    }

    @Test
    void successClearsTheKeyAndQuietTimeForgetsIt() {
        FailureCounters c = new FailureCounters(1, 1000, 8000, 60_000, 100);
        c.failed("a", 0);
        c.failed("a", 0);
        assertFalse(c.check("a", 10).allowed());
        c.succeeded("a");
        assertTrue(c.check("a", 10).allowed());
        c.failed("a", 10);
        assertTrue(c.check("a", 10).allowed(), "counting starts again after a success");

        c.failed("b", 0);
        c.failed("b", 0);
        c.failed("b", 60_000 - 1);
        assertFalse(c.check("b", 60_000).allowed(), "still within the window: the count went on");
        c.failed("c", 0);
        c.failed("c", 0);
        assertTrue(c.check("c", 60_000).allowed());
        c.failed("c", 60_000);
        assertTrue(c.check("c", 60_000).allowed(), "forgotten after the window: the first failure is free again");
    }

    @Test
    void memoryIsBoundedAndSprayedKeysGoFirst() {
        FailureCounters c = new FailureCounters(2, 1000, 900_000, 900_000, 50);
        for (int i = 0; i < 10; i++) {
            c.failed("admin", 0);
        }
        for (int i = 0; i < 10_000; i++) {
            c.failed("sprayed-" + i, 0);
        }
        assertEquals(50, c.size());
        assertFalse(c.check("admin", 1).allowed(), "the key under attack survives the spray");
    }
}
