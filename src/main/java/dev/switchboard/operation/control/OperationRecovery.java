package dev.switchboard.operation.control;

import dev.switchboard.cluster.control.LeaseLoop;
import dev.switchboard.operation.entity.ErrorCode;
import dev.switchboard.operation.entity.OperationEvent;
import dev.switchboard.operation.entity.OperationView;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Ends the operations nobody runs any more as {@code error} {@code INTERRUPTED}. They are not resumed: a clone or
 * a build cut off in the middle leaves a folder in an unknown state and the Engine's pulls and builds cannot be
 * re-attached, so a resumed operation would have to start from the beginning anyway, perhaps hours later and without
 * anyone watching; its user is better served by being told and starting it again.
 * <p>
 * At start-up: what the previous run of this member left queued or running (its runner is this member's peer id,
 * which a restart keeps, so nobody else runs them), and what no member runs (stored by a version without leases);
 * and the work folders they left. Never another member's: in a cluster those may be running right now.
 * <p>
 * Afterwards, on a {@link LeaseLoop} (a thread of its own, so that no task of the shared scheduler can delay a
 * renewal past the lease's expiry): every third of {@code ops.lease-ttl-ms} this member renews the leases of its own
 * unfinished operations ({@link Operations#renewLeases}); every {@code ops.takeover-interval-ms} it ends the
 * unfinished operations of any member whose lease has expired (that member died, or lost the database for a whole
 * time to live). Of several members sweeping at once exactly one ends each ({@link OperationStore#interruptExpired})
 * and only that one fires the {@link OperationEvent.Failed}, which the node dialect relays to every instance: every
 * client gets one {@code *.operation.error}. An operation whose runner lives and renews is never ended: the failover
 * time after a runner's death is at most the time to live plus one sweep interval (35 s by default).
 */
@Singleton
@Startup
@DependsOn("SchemaMigrator")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class OperationRecovery {

    private static final Logger LOG = Logger.getLogger(OperationRecovery.class.getName());
    static final String MESSAGE = "Interrupted: the server stopped while the operation was queued or running; start it again";
    static final String RUNNER_GONE = "Interrupted: the instance running it stopped (its lease expired); start it again";
    /** Operations ended in one sweep at most: the rest wait for the next. */
    static final int SWEEP_MAX = 50;

    @Inject
    OperationStore store;

    @Inject
    Operations operations;

    @Inject
    Event<OperationEvent> events;

    @Resource
    ManagedThreadFactory threads;

    @Inject
    @ConfigProperty(name = "ops.takeover-interval-ms", defaultValue = "5000")
    long intervalMillis;

    private LeaseLoop loop;

    @PostConstruct
    void start() {
        var own = store.interruptOwn(operations.runner(), MESSAGE);
        for (OperationView o : own) {
            LOG.warning(() -> "ops.operation.interrupted operation=" + o.id() + " (left unfinished by this instance's previous run)");
            events.fire(new OperationEvent.Failed(o.id(), o.kind().family(), MESSAGE, ErrorCode.INTERRUPTED));
        }
        Folders.deleteTree(operations.workRoot());
        long renewEvery = Math.max(100, operations.leaseTtlMillis() / 3);
        long sweepEvery = Math.max(100, intervalMillis);
        loop = LeaseLoop.start(threads, "switchboard-operation-leases", renewEvery, operations::renewLeases, sweepEvery,
                sweepEvery, this::sweep);
        LOG.info(() -> "ops.lease.started runner=" + operations.runner() + " lease-ttl-ms=" + operations.leaseTtlMillis()
                + " renew-ms=" + renewEvery + " sweep-ms=" + sweepEvery + " interrupted-own=" + own.size());
    }

    void sweep() {
        long now = System.currentTimeMillis();
        for (String id : store.expired(now, SWEEP_MAX)) {
            if (loop.stopping()) {
                return;
            }
            if (operations.runsHere(id)) {
                continue; // this member runs it and its renewal is late: the renewal extends it or stops it here
            }
            try {
                store.interruptExpired(id, now, RUNNER_GONE).ifPresent(o -> {
                    LOG.warning(() -> "ops.operation.interrupted operation=" + o.id() + " (its runner's lease expired)");
                    events.fire(new OperationEvent.Failed(o.id(), o.kind().family(), RUNNER_GONE, ErrorCode.INTERRUPTED));
                });
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "ops.operation.interrupt-failed operation=" + id, e);
            }
        }
    }

    /**
     * A clean stop renews nothing more: what runs here is ended by another member once its leases expire, or by this
     * one when it starts again first.
     */
    @PreDestroy
    void stop() {
        if (loop != null) {
            loop.stop();
        }
    }
}
