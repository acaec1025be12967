package dev.switchboard.dialect.rtc;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Per connection, from its token's {@code exp}: a warning {@code rtc.auth.expiry-warning-seconds} before (at once
 * when the token is already that close), and the end at {@code exp}. Deadlines wait in one ordered map that a single
 * task sweeps every {@value #SWEEP_MS} ms, so a connection costs two map entries instead of two tasks on the
 * managed scheduler, each with its captured context (a tenth of the CPU of a 10,000-connection storm). The tasks
 * only queue a frame or close: they never block the sweep.
 */
@ApplicationScoped
public class RtcTokenClock {

    static final long SWEEP_MS = 250;
    private static final Logger LOG = Logger.getLogger(RtcTokenClock.class.getName());

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    @ConfigProperty(name = "rtc.auth.expiry-warning-seconds", defaultValue = "300")
    long warningSeconds;

    private record Deadline(long atMillis, long order) implements Comparable<Deadline> {
        @Override
        public int compareTo(Deadline o) {
            int c = Long.compare(atMillis, o.atMillis);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }

    private final ConcurrentSkipListMap<Deadline, Runnable> due = new ConcurrentSkipListMap<>();
    private final AtomicLong order = new AtomicLong();
    private ScheduledFuture<?> sweep;

    @PostConstruct
    void start() {
        sweep = scheduler.scheduleAtFixedRate(this::runDue, SWEEP_MS, SWEEP_MS, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        sweep.cancel(false);
    }

    /** @return cancels what has not run yet (the connection closed first) */
    Runnable watch(Instant expiresAt, Runnable warn, Runnable expire) {
        long now = System.currentTimeMillis();
        long expiry = Math.max(now, expiresAt.toEpochMilli());
        Deadline warning = new Deadline(Math.max(now, expiry - warningSeconds * 1000), order.incrementAndGet());
        Deadline end = new Deadline(expiry, order.incrementAndGet());
        due.put(warning, warn);
        due.put(end, expire);
        return () -> {
            due.remove(warning);
            due.remove(end);
        };
    }

    /** Runs every deadline that has come, oldest first; one that fails does not stop the others. */
    void runDue() {
        long now = System.currentTimeMillis();
        for (Map.Entry<Deadline, Runnable> first; (first = due.firstEntry()) != null; ) {
            if (first.getKey().atMillis() > now) {
                return;
            }
            if (due.remove(first.getKey()) != null) {
                try {
                    first.getValue().run();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "rtc.token-clock.task-failed", e);
                }
            }
        }
    }
}
