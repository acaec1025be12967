package dev.switchboard.transport.tyrus;

import jakarta.websocket.Session;

import java.lang.reflect.Field;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tyrus (Payara's WebSocket implementation) re-arms a session's idle timer on every frame sent or received, even
 * when the session has no idle timeout: it cancels one task and schedules another on the server's managed
 * scheduled executor, whose context capture makes that the largest single cost of a send in our profiles (about a
 * fifth of the CPU of a 1,000-subscriber fan-out). The hub keeps connections alive and idle-closes them itself, so a
 * session without an idle timeout gets a scheduler that accepts and drops these no-op tasks.
 *
 * <p>Tyrus also schedules an idle-timer task when it makes the session (with the container's default timeout, 0), and
 * keeps the finished task's future for the connection's life: on Payara a managed task with its captured context,
 * ~0.5 KB per idle connection. That future is cancelled (it would do nothing) and dropped here too.</p>
 *
 * <p>This reaches into private fields of {@code org.glassfish.tyrus.core.TyrusSession}; on any other container,
 * another Tyrus version, or when {@code switchboard.tyrus.skip-idle-timer=false}, nothing happens. Tyrus also uses
 * that executor for its proprietary heartbeat, which Switchboard never turns on.</p>
 */
final class TyrusIdleTimer {

    private static final Logger LOG = Logger.getLogger(TyrusIdleTimer.class.getName());
    private static final String TYRUS_SESSION = "org.glassfish.tyrus.core.TyrusSession";
    private static final ScheduledExecutorService DROP = new Dropping();
    private static volatile Field field;
    private static volatile Field future;
    private static volatile Field futureLock;
    private static volatile boolean unavailable;

    private TyrusIdleTimer() {
    }

    /** Gives a Tyrus session without idle timeout a scheduler that drops the idle timer's tasks. */
    static void skipWhenUnused(Session session) {
        if (unavailable || session.getMaxIdleTimeout() > 0) {
            return;
        }
        Field f = field(session.getClass());
        if (f == null) {
            return;
        }
        try {
            f.set(session, DROP);
            dropFuture(session);
        } catch (IllegalAccessException | RuntimeException e) {
            unavailable = true;
            LOG.log(Level.INFO, "tyrus.idle-timer.kept reason=\"" + e + "\"");
        }
    }

    /** Cancels and forgets the idle-timer task Tyrus scheduled when it made the session, under Tyrus's own lock. */
    private static void dropFuture(Session session) throws IllegalAccessException {
        Field f = future;
        Field lock = futureLock;
        if (f == null || lock == null) {
            return;
        }
        synchronized (lock.get(session)) {
            if (f.get(session) instanceof java.util.concurrent.Future<?> scheduled) {
                scheduled.cancel(false);
                f.set(session, null);
            }
        }
    }

    private static Field field(Class<?> type) {
        Field f = field;
        if (f != null) {
            return f.getDeclaringClass().isAssignableFrom(type) ? f : null;
        }
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getName().equals(TYRUS_SESSION)) {
                try {
                    Field found = c.getDeclaredField("service");
                    if (found.getType() != ScheduledExecutorService.class) {
                        break;
                    }
                    found.setAccessible(true);
                    try {
                        Field scheduled = c.getDeclaredField("idleTimeoutFuture");
                        Field lock = c.getDeclaredField("idleTimeoutLock");
                        if (java.util.concurrent.Future.class.isAssignableFrom(scheduled.getType())) {
                            scheduled.setAccessible(true);
                            lock.setAccessible(true);
                            future = scheduled;
                            futureLock = lock;
                        }
                    } catch (ReflectiveOperationException | RuntimeException e) {
                        LOG.info(() -> "tyrus.idle-timer.future-kept reason=\"" + e + "\"");
                    }
                    field = found;
                    return found;
                } catch (ReflectiveOperationException | RuntimeException e) {
                    break;
                }
            }
        }
        unavailable = true;
        LOG.info(() -> "tyrus.idle-timer.kept reason=\"not a known Tyrus session: " + type.getName() + "\"");
        return null;
    }

    /** Accepts one-shot tasks and never runs them (only the idle timer's no-op tasks ever reach it). */
    private static final class Dropping extends ScheduledThreadPoolExecutor {

        Dropping() {
            super(0);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            return Dropped.INSTANCE;
        }
    }

    private static final class Dropped implements ScheduledFuture<Object> {

        static final Dropped INSTANCE = new Dropped();

        @Override
        public long getDelay(TimeUnit unit) {
            return 0;
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(0, other.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return false;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean isDone() {
            return true;
        }

        @Override
        public Object get() {
            return null;
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return null;
        }
    }
}
