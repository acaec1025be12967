package dev.switchboard.workflow.control;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunningJobsTest {

    @Test
    void stopAllStopsEveryRegisteredJobOnce() {
        RunningJobs jobs = new RunningJobs();
        AtomicInteger a = new AtomicInteger();
        AtomicInteger b = new AtomicInteger();
        jobs.add(a::incrementAndGet);
        jobs.add(b::incrementAndGet);
        assertFalse(jobs.stopping());
        jobs.stopAll();
        jobs.stopAll();
        assertTrue(jobs.stopping());
        assertEquals(1, a.get());
        assertEquals(1, b.get());
    }

    @Test
    void aJobThatEndedIsNotStopped() {
        RunningJobs jobs = new RunningJobs();
        AtomicInteger stops = new AtomicInteger();
        Runnable stop = stops::incrementAndGet;
        jobs.add(stop);
        jobs.remove(stop);
        jobs.stopAll();
        assertEquals(0, stops.get());
    }

    @Test
    void aJobThatRegistersAfterTheStopIsStoppedAsItRegisters() {
        RunningJobs jobs = new RunningJobs();
        jobs.stopAll();
        AtomicInteger stops = new AtomicInteger();
        jobs.add(stops::incrementAndGet);
        assertEquals(1, stops.get());
        jobs.stopAll();
        assertEquals(1, stops.get(), "not twice");
    }

    @Test
    void racingRegistrationsAndStopsStopEachJobExactlyOnce() throws Exception {
        for (int round = 0; round < 200; round++) {
            RunningJobs jobs = new RunningJobs();
            AtomicInteger stops = new AtomicInteger();
            Thread registering = new Thread(() -> {
                for (int i = 0; i < 50; i++) {
                    jobs.add(stops::incrementAndGet);
                }
            });
            registering.start();
            jobs.stopAll();
            registering.join();
            assertEquals(50, stops.get(), "round " + round);
        }
    }
}
