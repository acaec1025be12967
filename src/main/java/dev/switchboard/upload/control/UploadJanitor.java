package dev.switchboard.upload.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.OffsetDateTime;
import java.util.logging.Logger;

/**
 * Expires upload sessions idle for {@code upload.session-idle-seconds} and deletes their partial files,
 * every {@code upload.cleanup-interval-seconds}; then deletes partial files no open session owns (left by an instance
 * killed at the wrong moment) once they are {@link #ORPHAN_GRACE} old. Not persistent: the next start sweeps again.
 * Clustered, one instance sweeps: the holder of the database lease {@code upload.cleanup}.
 */
@Singleton
@Startup
@DependsOn("SchemaMigrator")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@jakarta.ejb.TransactionManagement(jakarta.ejb.TransactionManagementType.BEAN)
public class UploadJanitor {

    private static final Logger LOG = Logger.getLogger(UploadJanitor.class.getName());
    static final String LEASE = "upload.cleanup";
    /** A partial file this young may belong to a session whose row is not committed yet: it is left alone. */
    static final java.time.Duration ORPHAN_GRACE = java.time.Duration.ofMinutes(10);
    /** Files looked at per sweep for orphans: a folder full of them is worked through a thousand at a time. */
    static final int ORPHANS_PER_SWEEP = 1000;
    /** Session ids named in the expiry's log line, at most. */
    private static final int LOGGED_IDS = 20;

    @Resource
    TimerService timers;

    @Inject
    Uploads uploads;

    @Inject
    dev.switchboard.cluster.control.Leases leases;

    @Inject
    @ConfigProperty(name = "upload.session-idle-seconds", defaultValue = "86400")
    long idleSeconds;

    @Inject
    @ConfigProperty(name = "upload.cleanup-interval-seconds", defaultValue = "60")
    long intervalSeconds;

    @PostConstruct
    void schedule() {
        timers.createIntervalTimer(intervalSeconds * 1000, intervalSeconds * 1000, new TimerConfig(LEASE, false));
    }

    @Timeout
    void sweep() {
        // once per cluster: whoever holds the lease sweeps; it lapses two intervals after its holder stops renewing
        if (!leases.hold(LEASE, java.time.Duration.ofSeconds(intervalSeconds * 2))) {
            return;
        }
        // bean-managed: expireIdle commits on return, and only then are the files deleted
        java.util.List<String> expired = uploads.expireIdle(OffsetDateTime.now().minusSeconds(idleSeconds));
        uploads.deletePartials(expired);
        if (!expired.isEmpty()) {
            LOG.info(() -> "upload.sessions.expired count=" + expired.size() + " sessions="
                    + String.join(",", expired.subList(0, Math.min(LOGGED_IDS, expired.size())))
                    + (expired.size() > LOGGED_IDS ? ",..." : ""));
        }
        int orphans = uploads.deleteOrphans(java.time.Instant.now().minus(ORPHAN_GRACE), ORPHANS_PER_SWEEP);
        if (orphans > 0) {
            LOG.info(() -> "upload.orphans.deleted count=" + orphans);
        }
    }
}
