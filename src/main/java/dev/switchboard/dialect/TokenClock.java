package dev.switchboard.dialect;

import dev.switchboard.hub.boundary.Hub;
import dev.switchboard.hub.control.Connection;
import dev.switchboard.hub.entity.Disconnect;
import dev.switchboard.hub.entity.Frame;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Token lifetime on every dialect: a connection authenticated by a token is closed with {@code 4001 "Token
 * expired"} at the token's {@code exp}, after the dialect's own warning where its spec has one (rtc's
 * {@code AuthStatus token_expiring}). Deadlines wait in one ordered map that a single task sweeps every
 * {@value #SWEEP_MS} ms, so a connection costs a map entry or two instead of tasks on the managed scheduler, each
 * with its captured context (a tenth of the CPU of a 10,000-connection rtc storm). The tasks only queue a frame or
 * close: they never block the sweep.
 */
@ApplicationScoped
public class TokenClock {

    static final long SWEEP_MS = 250;
    private static final Logger LOG = Logger.getLogger(TokenClock.class.getName());
    private static final Runnable NOTHING = () -> { };

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    Hub hub;

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

    /**
     * Closes {@code connection} at {@code expiresAt}; with a {@code warning}, queues it {@code warningSeconds} before
     * (at once when the token is already that close). Nothing for a token without {@code exp}.
     *
     * @return stops watching; hang it on the connection ({@code whenGone}) so that a closed connection's deadlines go
     */
    public Runnable closeAtExpiry(Connection connection, Instant expiresAt, long warningSeconds, Supplier<Frame> warning) {
        if (expiresAt == null) {
            return NOTHING;
        }
        return watch(expiresAt, warningSeconds,
                warning == null ? null : () -> hub.send(connection, warning.get()),
                () -> {
                    if (connection.isOpen()) {
                        LOG.info(() -> "ws.token.expired dialect=" + connection.dialect() + " user=" + connection.user()
                                + " connection=" + connection.id());
                        hub.close(connection, Disconnect.tokenExpired());
                    }
                });
    }

    /** @param warn null: no warning. @return cancels what has not run yet */
    Runnable watch(Instant expiresAt, long warningSeconds, Runnable warn, Runnable expire) {
        long now = System.currentTimeMillis();
        long expiry = Math.max(now, expiresAt.toEpochMilli());
        Deadline warning = warn == null ? null : new Deadline(Math.max(now, expiry - warningSeconds * 1000), order.incrementAndGet());
        Deadline end = new Deadline(expiry, order.incrementAndGet());
        if (warning != null) {
            due.put(warning, warn);
        }
        due.put(end, expire);
        return () -> {
            if (warning != null) {
                due.remove(warning);
            }
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
                    LOG.log(Level.WARNING, "ws.token-clock.task-failed", e);
                }
            }
        }
    }
}
