package dev.switchboard.operation.control;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Sends an operation's gathered output every {@code ops.stream.flush-ms} while a builder or a build stream runs. */
@ApplicationScoped
public class Flusher {

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    @ConfigProperty(name = "ops.stream.flush-ms", defaultValue = "100")
    long flushMs;

    ScheduledFuture<?> every(Runnable flush) {
        long interval = Math.max(10, flushMs);
        return scheduler.scheduleWithFixedDelay(flush, interval, interval, TimeUnit.MILLISECONDS);
    }

    ScheduledFuture<?> everyMillis(Runnable task, long intervalMs) {
        return scheduler.scheduleWithFixedDelay(task, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    ScheduledFuture<?> once(Runnable task, long delaySeconds) {
        return scheduler.schedule(task, delaySeconds, TimeUnit.SECONDS);
    }
}
