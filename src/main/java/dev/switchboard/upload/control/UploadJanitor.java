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
 * every {@code upload.cleanup-interval-seconds}. Not persistent: the next start sweeps again.
 */
@Singleton
@Startup
@DependsOn("SchemaMigrator")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@jakarta.ejb.TransactionManagement(jakarta.ejb.TransactionManagementType.BEAN)
public class UploadJanitor {

    private static final Logger LOG = Logger.getLogger(UploadJanitor.class.getName());

    @Resource
    TimerService timers;

    @Inject
    Uploads uploads;

    @Inject
    @ConfigProperty(name = "upload.session-idle-seconds", defaultValue = "86400")
    long idleSeconds;

    @Inject
    @ConfigProperty(name = "upload.cleanup-interval-seconds", defaultValue = "60")
    long intervalSeconds;

    @PostConstruct
    void schedule() {
        timers.createIntervalTimer(intervalSeconds * 1000, intervalSeconds * 1000, new TimerConfig("upload.cleanup", false));
    }

    @Timeout
    void sweep() {
        // bean-managed: expireIdle commits on return, and only then are the files deleted
        java.util.List<String> expired = uploads.expireIdle(OffsetDateTime.now().minusSeconds(idleSeconds));
        uploads.deletePartials(expired);
        if (!expired.isEmpty()) {
            LOG.info(() -> "upload.sessions.expired count=" + expired.size());
        }
    }
}
