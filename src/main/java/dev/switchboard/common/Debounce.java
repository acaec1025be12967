package dev.switchboard.common;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** Runs an action once, {@code delayMillis} after the first trigger of a burst; triggers until then ride along. */
public final class Debounce {

    private final AtomicBoolean pending = new AtomicBoolean();
    private final ScheduledExecutorService scheduler;
    private final long delayMillis;
    private final Runnable action;

    public Debounce(ScheduledExecutorService scheduler, long delayMillis, Runnable action) {
        this.scheduler = scheduler;
        this.delayMillis = delayMillis;
        this.action = action;
    }

    public void trigger() {
        if (pending.compareAndSet(false, true)) {
            scheduler.schedule(() -> {
                pending.set(false);
                action.run();
            }, delayMillis, TimeUnit.MILLISECONDS);
        }
    }
}
