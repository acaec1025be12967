package dev.switchboard.messaging.control;

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

import java.util.logging.Logger;

/**
 * Deletes queued direct messages whose time to live is over, every {@code messaging.queue.purge-interval-seconds}.
 * Expired rows are never delivered anyway (the claim skips them); this only reclaims their space.
 * Not persistent: the next start sweeps again. Clustered, one instance sweeps: the holder of the database lease
 * {@code messaging.queue.purge}.
 */
@Singleton
@Startup
@DependsOn("SchemaMigrator")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class MailboxJanitor {

    private static final Logger LOG = Logger.getLogger(MailboxJanitor.class.getName());

    @Resource
    TimerService timers;

    @Inject
    Mailbox mailbox;

    @Inject
    dev.switchboard.cluster.control.Leases leases;

    @Inject
    @ConfigProperty(name = "messaging.queue.purge-interval-seconds", defaultValue = "60")
    long intervalSeconds;

    @PostConstruct
    void schedule() {
        timers.createIntervalTimer(intervalSeconds * 1000, intervalSeconds * 1000, new TimerConfig("messaging.queue.purge", false));
    }

    @Timeout
    void sweep() {
        // once per cluster: whoever holds the lease sweeps; it lapses two intervals after its holder stops renewing
        if (!leases.hold("messaging.queue.purge", java.time.Duration.ofSeconds(intervalSeconds * 2))) {
            return;
        }
        int purged = mailbox.purgeExpired();
        if (purged > 0) {
            LOG.info(() -> "messaging.queue.purged count=" + purged);
        }
    }
}
