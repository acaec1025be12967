package dev.switchboard.cluster.control;

import dev.switchboard.node.control.NodeIdentity;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Leases in the database ({@code sb_lease}), so that what must happen once per cluster does, whatever the engine:
 * a lease is held by one member (its peer id) until it expires, and only then may another take it. A holder renews
 * by taking it again. Times are the members' clocks (epoch milliseconds): they must agree to well within a lease's
 * time to live. Each take is one statement in its own transaction (autocommit, outside any transaction of the
 * caller's, such as a timer's); a database that cannot be reached means "not held".
 */
@ApplicationScoped
@Transactional(Transactional.TxType.NOT_SUPPORTED)
public class Leases {

    private static final Logger LOG = Logger.getLogger(Leases.class.getName());

    @Resource(lookup = "jdbc/switchboard")
    DataSource dataSource;

    @Inject
    NodeIdentity identity;

    /** Leases this member keeps (name → time to live): {@link #renewKept} renews them. */
    private final Map<String, Duration> kept = new ConcurrentHashMap<>();
    private volatile long lastRenewalNanos;

    /** Takes or renews the lease for {@code ttl}. @return whether this member holds it now */
    public boolean hold(String name, Duration ttl) {
        String me = identity.peerId();
        long now = System.currentTimeMillis();
        long until = now + ttl.toMillis();
        try (Connection c = dataSource.getConnection()) {
            autocommit(c);
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE sb_lease SET holder = ?, expires_at = ? WHERE name = ? AND (holder = ? OR expires_at < ?)")) {
                update.setString(1, me);
                update.setLong(2, until);
                update.setString(3, name);
                update.setString(4, me);
                update.setLong(5, now);
                if (update.executeUpdate() == 1) {
                    return true;
                }
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO sb_lease (name, holder, expires_at) VALUES (?, ?, ?)")) {
                insert.setString(1, name);
                insert.setString(2, me);
                insert.setLong(3, until);
                return insert.executeUpdate() == 1;
            } catch (SQLException taken) {
                return false; // another member holds it (or took it between our two statements)
            }
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.FINE, "cluster.lease.failed name=" + name, e);
            return false;
        }
    }

    private static void autocommit(Connection c) throws SQLException {
        if (!c.getAutoCommit()) {
            c.setAutoCommit(true);
        }
    }

    /**
     * The first free slot of {@code count} ({@code <name>.0} … {@code <name>.<count-1>}), kept by this member while it
     * lives. @return the slot, or -1 when every one is held by a live member
     */
    public int claimSlot(String name, int count, Duration ttl) {
        for (int i = 0; i < count; i++) {
            String lease = name + "." + i;
            if (hold(lease, ttl)) {
                kept.put(lease, ttl);
                int slot = i;
                LOG.info(() -> "cluster.lease.slot name=" + name + " slot=" + slot);
                return i;
            }
        }
        return -1;
    }

    /** Renews the kept leases once a third of the shortest time to live has passed (called by the heartbeat). */
    public void renewKept() {
        if (kept.isEmpty()) {
            return;
        }
        long shortest = kept.values().stream().mapToLong(Duration::toNanos).min().orElse(Long.MAX_VALUE);
        long now = System.nanoTime();
        if (now - lastRenewalNanos < shortest / 3) {
            return;
        }
        lastRenewalNanos = now;
        kept.forEach((name, ttl) -> {
            if (!hold(name, ttl)) {
                LOG.severe(() -> "cluster.lease.lost name=" + name + " (renewal failed: the database is unreachable or "
                        + "another member took it after it expired)");
            }
        });
    }

    /** Gives the kept leases back at a clean stop, so a restart (or another member) can take them at once. */
    public void releaseKept() {
        String me = identity.peerId();
        try (Connection c = dataSource.getConnection();
             PreparedStatement delete = c.prepareStatement("DELETE FROM sb_lease WHERE name = ? AND holder = ?")) {
            autocommit(c);
            for (String name : kept.keySet()) {
                delete.setString(1, name);
                delete.setString(2, me);
                delete.executeUpdate();
            }
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.FINE, "cluster.lease.release.failed", e);
        }
        kept.clear();
    }
}
