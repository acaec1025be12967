package dev.switchboard.dialect.rtc;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Per connection, from its token's {@code exp}: a warning {@code rtc.auth.expiry-warning-seconds} before (at once
 * when the token is already that close), and the end at {@code exp}. The tasks only queue a frame or close:
 * they never block the scheduler.
 */
@ApplicationScoped
public class RtcTokenClock {

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    @ConfigProperty(name = "rtc.auth.expiry-warning-seconds", defaultValue = "300")
    long warningSeconds;

    /** @return the scheduled tasks, to cancel when the connection closes first */
    List<ScheduledFuture<?>> watch(Instant expiresAt, Runnable warn, Runnable expire) {
        long now = System.currentTimeMillis();
        long untilExpiry = Math.max(0, expiresAt.toEpochMilli() - now);
        long untilWarning = Math.max(0, untilExpiry - warningSeconds * 1000);
        return List.of(scheduler.schedule(warn, untilWarning, TimeUnit.MILLISECONDS),
                scheduler.schedule(expire, untilExpiry, TimeUnit.MILLISECONDS));
    }
}
