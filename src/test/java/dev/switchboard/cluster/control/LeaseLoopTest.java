package dev.switchboard.cluster.control;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lease thread: renewals and sweeps on a thread of its own, neither ended by a task that throws, both by a stop. */
class LeaseLoopTest {

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what);
            Thread.sleep(5);
        }
    }

    @Test
    void renewsAndSweepsOnItsOwnThreadUntilStoppedAndATaskThatThrowsIsRunAgain() throws Exception {
        List<Thread> made = new CopyOnWriteArrayList<>();
        List<String> order = new CopyOnWriteArrayList<>();
        Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        AtomicInteger renewals = new AtomicInteger();
        AtomicInteger sweeps = new AtomicInteger();
        LeaseLoop loop = LeaseLoop.start(r -> {
            Thread t = new Thread(r);
            made.add(t);
            return t;
        }, "test-leases", 20, () -> {
            order.add("renew");
            threads.add(Thread.currentThread().getName());
            if (renewals.incrementAndGet() == 1) {
                throw new IllegalStateException("the database is away");
            }
        }, 50, 30, () -> {
            order.add("sweep");
            threads.add(Thread.currentThread().getName());
            if (sweeps.incrementAndGet() == 1) {
                throw new IllegalStateException("the database is away");
            }
        });
        await(() -> renewals.get() >= 5 && sweeps.get() >= 3, "renewals and sweeps go on after one failed: " + order);
        assertEquals(1, made.size(), "one thread");
        assertEquals(Set.of("test-leases"), threads, "both on the loop's own thread");
        assertTrue(made.get(0).isDaemon());
        // the first renewal is due before the first sweep; when both are due at once, the renewal still goes first
        assertEquals("renew", order.get(0), order.toString());

        assertFalse(loop.stopping());
        loop.stop();
        assertTrue(loop.stopping());
        made.get(0).join(Duration.ofSeconds(30).toMillis());
        assertFalse(made.get(0).isAlive(), "the stop ends the thread");
    }
}
