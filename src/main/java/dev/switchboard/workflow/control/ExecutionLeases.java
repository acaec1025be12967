package dev.switchboard.workflow.control;

import dev.switchboard.node.control.NodeIdentity;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Who runs which execution in a cluster: an unfinished execution has an owner (a member's peer id) and a lease
 * ({@code sb_execution.owner}, {@code lease_expires_at}), taken when the execution is created or taken over and
 * renewed by its owner every third of {@code workflow.execution.lease-ttl-ms} for as long as it runs there. Only once
 * the lease has expired (its owner died, or lost the database for a whole time to live) may another member take it,
 * in one conditional update, so exactly one wins.
 * <p>
 * The lease lives on the execution's row rather than in {@code sb_lease}: the row exists from the execution's first
 * moment (so it is never unowned in between), the takeover sweep is one indexed query on it, one statement renews
 * every execution of a member, and nothing is left behind when an execution or its workflow is deleted.
 * <p>
 * The member keeps the executions it runs here with how to abandon each: when a renewal finds that another member
 * has taken one over (this one was paused or cut off for longer than the time to live), or when renewals have failed
 * for a whole time to live, the execution is abandoned here at once, its processes and containers stopped and
 * nothing more written (the store refuses writes from a member that is no longer the owner). Times are the members'
 * clocks, as for {@code sb_lease}: they must agree to well within the time to live.
 */
@ApplicationScoped
public class ExecutionLeases {

    private static final Logger LOG = Logger.getLogger(ExecutionLeases.class.getName());
    private static final String UNFINISHED = "status IN ('PENDING', 'RUNNING')";
    private static final int CHUNK = 500;
    private static final Runnable NOTHING_YET = () -> { };

    @Resource(lookup = "jdbc/switchboard")
    DataSource dataSource;

    @Inject
    NodeIdentity identity;

    @Inject
    @ConfigProperty(name = "workflow.execution.lease-ttl-ms", defaultValue = "30000")
    long ttlMillis;

    /** The executions this member runs now → how to abandon each (its batchlet's, once it runs). */
    private final Map<Long, Runnable> here = new ConcurrentHashMap<>();
    private volatile long lastRenewalMillis = System.currentTimeMillis();

    /** This member's name as an owner. */
    public String owner() {
        return identity.peerId();
    }

    public long ttlMillis() {
        return Math.max(1000, ttlMillis);
    }

    /** The expiry of a lease taken now. */
    public long leaseUntil() {
        return System.currentTimeMillis() + ttlMillis();
    }

    /** This member runs the execution from now on (it created it, took it over or reclaimed it): its lease is renewed. */
    public void hold(long executionId) {
        here.putIfAbsent(executionId, NOTHING_YET);
    }

    /**
     * The batchlet running the execution here, and how to abandon it.
     * @return false when the lease was lost meanwhile: the batchlet must not run
     */
    public boolean running(long executionId, Runnable abandon) {
        return here.replace(executionId, abandon) != null;
    }

    /** The execution stopped running here (finished, failed to launch, abandoned). */
    public void released(long executionId) {
        here.remove(executionId);
    }

    /** Whether this member runs the execution now. */
    public boolean runsHere(long executionId) {
        return here.containsKey(executionId);
    }

    /**
     * At start-up, before anything runs here: the executions the previous run of this member (same peer id) left
     * unfinished, with their leases renewed so that nobody else takes them before they are resumed.
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public List<Long> reclaimOwn() {
        List<Long> own = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            autocommit(c);
            try (PreparedStatement renew = c.prepareStatement(
                    "UPDATE sb_execution SET lease_expires_at = ? WHERE owner = ? AND " + UNFINISHED)) {
                renew.setLong(1, leaseUntil());
                renew.setString(2, owner());
                renew.executeUpdate();
            }
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT id FROM sb_execution WHERE owner = ? AND " + UNFINISHED + " ORDER BY id")) {
                select.setString(1, owner());
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        own.add(rs.getLong(1));
                    }
                }
            }
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "workflow.execution.reclaim-failed (the takeover sweep will find them once their leases expire)", e);
        }
        own.forEach(this::hold);
        return own;
    }

    /** Unfinished executions whose lease has expired (their owner is gone), oldest first, at most {@code max}. */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public List<Long> expired(int max) {
        List<Long> ids = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement select = autocommit(c).prepareStatement(
                     "SELECT id FROM sb_execution WHERE " + UNFINISHED + " AND lease_expires_at < ? ORDER BY id")) {
            select.setLong(1, System.currentTimeMillis());
            select.setMaxRows(max);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        } catch (SQLException e) {
            LOG.log(Level.FINE, "workflow.execution.sweep-failed", e);
        }
        return ids;
    }

    /** What a takeover replaced: the previous owner (null for an execution of an older version) and how long its lease had been expired. */
    public record Taken(String previousOwner, long expiredForMillis) {
    }

    /**
     * Takes the expired lease of an execution; of several members trying at once exactly one succeeds (the update's
     * condition is evaluated again on the row it locks). The winner holds it ({@link #hold}).
     * @return empty when another member took it first, the lease was renewed, or the execution finished
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public Optional<Taken> take(long executionId) {
        if (runsHere(executionId)) {
            return Optional.empty(); // running here with a late renewal: the renewal will extend it, never a second run
        }
        try (Connection c = dataSource.getConnection()) {
            autocommit(c);
            String previous = null;
            long expiredAt = 0;
            try (PreparedStatement read = c.prepareStatement("SELECT owner, lease_expires_at FROM sb_execution WHERE id = ?")) {
                read.setLong(1, executionId);
                try (ResultSet rs = read.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    previous = rs.getString(1);
                    expiredAt = rs.getLong(2);
                }
            }
            long now = System.currentTimeMillis();
            try (PreparedStatement update = c.prepareStatement("UPDATE sb_execution SET owner = ?, lease_expires_at = ? "
                    + "WHERE id = ? AND " + UNFINISHED + " AND lease_expires_at < ?")) {
                update.setString(1, owner());
                update.setLong(2, now + ttlMillis());
                update.setLong(3, executionId);
                update.setLong(4, now);
                if (update.executeUpdate() != 1) {
                    return Optional.empty();
                }
            }
            hold(executionId);
            return Optional.of(new Taken(previous, expiredAt == 0 ? 0 : Math.max(0, now - expiredAt)));
        } catch (SQLException e) {
            LOG.log(Level.FINE, "workflow.execution.take-failed execution=" + executionId, e);
            return Optional.empty();
        }
    }

    /**
     * Renews the leases of the executions running here, in one statement per {@value #CHUNK}; abandons those another
     * member has taken over, and all of them when no renewal succeeded for a whole time to live (their leases have
     * expired: another member may be running them already).
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public void renew() {
        List<Long> ids = List.copyOf(here.keySet());
        long now = System.currentTimeMillis();
        if (ids.isEmpty()) {
            lastRenewalMillis = now;
            return;
        }
        Set<Long> kept = new HashSet<>();
        try (Connection c = dataSource.getConnection()) {
            autocommit(c);
            for (int from = 0; from < ids.size(); from += CHUNK) {
                List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
                String in = String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"));
                int renewed;
                try (PreparedStatement update = c.prepareStatement(
                        "UPDATE sb_execution SET lease_expires_at = ? WHERE owner = ? AND id IN (" + in + ")")) {
                    update.setLong(1, now + ttlMillis());
                    update.setString(2, owner());
                    for (int i = 0; i < chunk.size(); i++) {
                        update.setLong(3 + i, chunk.get(i));
                    }
                    renewed = update.executeUpdate();
                }
                if (renewed == chunk.size()) {
                    kept.addAll(chunk);
                    continue;
                }
                try (PreparedStatement select = c.prepareStatement("SELECT id FROM sb_execution WHERE owner = ? AND id IN (" + in + ")")) {
                    select.setString(1, owner());
                    for (int i = 0; i < chunk.size(); i++) {
                        select.setLong(2 + i, chunk.get(i));
                    }
                    try (ResultSet rs = select.executeQuery()) {
                        while (rs.next()) {
                            kept.add(rs.getLong(1));
                        }
                    }
                }
            }
            lastRenewalMillis = now;
        } catch (SQLException e) {
            long unrenewed = now - lastRenewalMillis;
            LOG.log(Level.WARNING, "workflow.execution.lease.renewal-failed unrenewed-ms=" + unrenewed, e);
            if (unrenewed >= ttlMillis()) {
                ids.forEach(id -> abandon(id, "no renewal for " + unrenewed + " ms: the lease expired"));
            }
            return;
        }
        for (Long id : ids) {
            if (!kept.contains(id)) {
                abandon(id, "another member owns it now");
            }
        }
    }

    private void abandon(long executionId, String why) {
        Runnable abandon = here.remove(executionId);
        if (abandon != null) {
            LOG.severe(() -> "workflow.execution.lease.lost execution=" + executionId + " (" + why
                    + "): abandoned here, its running jobs stopped");
            abandon.run();
        }
    }

    private static Connection autocommit(Connection c) throws SQLException {
        if (!c.getAutoCommit()) {
            c.setAutoCommit(true);
        }
        return c;
    }
}
