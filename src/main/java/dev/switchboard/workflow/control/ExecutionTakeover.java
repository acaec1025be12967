package dev.switchboard.workflow.control;

import dev.switchboard.cluster.control.LeaseLoop;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps every unfinished execution running somewhere, once. At start-up it resumes what the previous run of this
 * member left unfinished (a crash, {@code kill -9}: same peer id, so they are this member's own and nobody else's);
 * every {@code workflow.execution.takeover-interval-ms} it sweeps for executions whose owner's lease has expired (the
 * owner died) and takes them over; every third of the lease's time to live it renews the leases of what runs here
 * ({@link ExecutionLeases}). A resumed or taken-over execution is a new Batch job instance carrying on from the stored
 * job states, so completed jobs are not run again (the interrupted ones are). An execution whose owner lives is never
 * taken: the failover time after an owner's death is at most the lease's time to live plus one sweep interval.
 * <p>
 * The first launches wait {@value #FIRST_DELAY_MS} ms, for the Batch runtime to be up; the own list is taken during
 * deployment, before any request can start a new execution here. The renewals and sweeps run on a {@link LeaseLoop}, a
 * thread of their own, so that no task of the shared scheduler can delay a renewal past the lease's expiry.
 */
@Singleton
@Startup
@DependsOn("SchemaMigrator")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class ExecutionTakeover {

    private static final Logger LOG = Logger.getLogger(ExecutionTakeover.class.getName());
    static final long FIRST_DELAY_MS = 2000;
    /** Executions taken over in one sweep at most: the rest wait for the next. */
    static final int SWEEP_MAX = 50;

    @Inject
    ExecutionLeases leases;

    @Inject
    ExecutionLauncher launcher;

    @Resource
    ManagedThreadFactory threads;

    @Inject
    @ConfigProperty(name = "workflow.execution.takeover-interval-ms", defaultValue = "5000")
    long intervalMillis;

    private volatile boolean stopping;
    private LeaseLoop loop;

    @PostConstruct
    void start() {
        List<Long> own = leases.reclaimOwn();
        long renewEvery = Math.max(100, leases.ttlMillis() / 3);
        long sweepEvery = Math.max(100, intervalMillis);
        boolean[] resumed = {own.isEmpty()}; // read and written on the loop's thread only
        // the first sweep comes after FIRST_DELAY_MS, the own executions are resumed right before it
        loop = LeaseLoop.start(threads, "switchboard-execution-leases", renewEvery, this::renew, FIRST_DELAY_MS, sweepEvery, () -> {
            if (!resumed[0]) {
                resumed[0] = true;
                resume(own);
            }
            sweep();
        });
        LOG.info(() -> "workflow.execution.takeover.started owner=" + leases.owner() + " lease-ttl-ms=" + leases.ttlMillis()
                + " renew-ms=" + renewEvery + " sweep-ms=" + sweepEvery + " own-unfinished=" + own.size());
    }

    void resume(List<Long> own) {
        for (Long id : own) {
            if (stopping) {
                return;
            }
            try {
                launcher.launch(id);
                LOG.info(() -> "workflow.execution.resumed execution=" + id);
            } catch (RuntimeException e) {
                leases.released(id);
                LOG.log(Level.WARNING, "workflow.execution.resume-failed execution=" + id, e);
            }
        }
    }

    void renew() {
        if (stopping) {
            return;
        }
        try {
            leases.renew();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "workflow.execution.lease.renew-failed", e);
        }
    }

    void sweep() {
        if (stopping) {
            return;
        }
        try {
            for (Long id : leases.expired(SWEEP_MAX)) {
                if (stopping) {
                    return;
                }
                leases.take(id).ifPresent(taken -> {
                    LOG.info(() -> "workflow.execution.taken-over execution=" + id + " from=" + taken.previousOwner()
                            + " lease-expired-ms=" + taken.expiredForMillis());
                    try {
                        launcher.launch(id);
                    } catch (RuntimeException e) {
                        leases.released(id);
                        LOG.log(Level.WARNING, "workflow.execution.takeover-failed execution=" + id, e);
                    }
                });
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "workflow.execution.sweep-failed", e);
        }
    }

    /**
     * A clean stop renews nothing more: what runs here is taken over by another member once its leases expire (or
     * resumed by this one when it comes back first). The leases are not given back at once, because the jobs'
     * processes may outlive the stop by a moment.
     */
    @PreDestroy
    void stop() {
        stopping = true;
        if (loop != null) {
            loop.stop();
        }
    }
}
