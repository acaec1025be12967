package dev.switchboard.cluster.control;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The thread that keeps a member's leases on rows of work it runs (workflow executions, Docker and standalone
 * operations): it renews them every {@code renewEvery} and sweeps for rows whose lease has expired (their member
 * died) every {@code sweepEvery}, the first sweep after {@code firstSweep}. A thread of its own, from the
 * container's managed thread factory, rather than a task of the shared scheduler: nothing else queued there can
 * delay a renewal past the lease's expiry, which would let another member take work that still runs here. A renewal
 * due at the same moment as a sweep goes first; a task that throws is logged and runs again at its next time, so
 * only {@link #stop} ends the loop.
 */
public final class LeaseLoop {

    private static final Logger LOG = Logger.getLogger(LeaseLoop.class.getName());

    private final String name;
    private final long renewEveryNanos;
    private final Runnable renew;
    private final long firstSweepNanos;
    private final long sweepEveryNanos;
    private final Runnable sweep;
    private final Thread thread;
    private volatile boolean stopping;

    private LeaseLoop(ThreadFactory threads, String name, long renewEveryMillis, Runnable renew, long firstSweepMillis,
                      long sweepEveryMillis, Runnable sweep) {
        this.name = name;
        this.renewEveryNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1, renewEveryMillis));
        this.renew = renew;
        this.firstSweepNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, firstSweepMillis));
        this.sweepEveryNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1, sweepEveryMillis));
        this.sweep = sweep;
        this.thread = threads.newThread(this::loop);
        thread.setName(name);
        thread.setDaemon(true);
    }

    /** Starts the loop on a new thread of {@code threads} named {@code name}. */
    public static LeaseLoop start(ThreadFactory threads, String name, long renewEveryMillis, Runnable renew,
                                  long firstSweepMillis, long sweepEveryMillis, Runnable sweep) {
        LeaseLoop loop = new LeaseLoop(threads, name, renewEveryMillis, renew, firstSweepMillis, sweepEveryMillis, sweep);
        loop.thread.start();
        return loop;
    }

    /** True once {@link #stop} was called: a task in the middle of its work should end it early. */
    public boolean stopping() {
        return stopping;
    }

    /** Nothing more is renewed or swept (a task running now is interrupted). */
    public void stop() {
        stopping = true;
        thread.interrupt();
    }

    private void loop() {
        long started = System.nanoTime();
        long nextRenew = started + renewEveryNanos;
        long nextSweep = started + firstSweepNanos;
        while (!stopping) {
            if (System.nanoTime() - nextRenew >= 0) {
                run(renew, "renew");
                // a late renewal (a long pause) is followed by the next one soon, never by a burst of missed ones
                nextRenew = Math.max(nextRenew + renewEveryNanos, System.nanoTime() + renewEveryNanos / 2);
            }
            if (!stopping && System.nanoTime() - nextSweep >= 0) {
                run(sweep, "sweep");
                nextSweep = System.nanoTime() + sweepEveryNanos;
            }
            long wake = nextRenew - nextSweep < 0 ? nextRenew : nextSweep;
            long sleep = TimeUnit.NANOSECONDS.toMillis(wake - System.nanoTime());
            if (sleep > 0) {
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException e) {
                    return; // the stop
                }
            }
        }
    }

    private void run(Runnable task, String what) {
        if (stopping) {
            return;
        }
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cluster.lease-loop." + what + "-failed loop=" + name, e);
        }
    }
}
