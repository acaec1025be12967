package dev.switchboard.peers.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * A blacklisted peer id. An entry past its {@code expires_at} is no longer in force: every query leaves it out, and
 * the publisher deletes such rows now and then.
 */
@Entity
@Table(name = "sb_blacklist")
@NamedQuery(name = BlacklistEntry.IN_FORCE, query = "SELECT b FROM BlacklistEntry b WHERE b.expiresAt IS NULL OR b.expiresAt > :now"
        + " ORDER BY b.addedAt, b.peerId")
@NamedQuery(name = BlacklistEntry.IDS_IN_FORCE, query = "SELECT b.peerId FROM BlacklistEntry b WHERE b.expiresAt IS NULL OR b.expiresAt > :now")
@NamedQuery(name = BlacklistEntry.COUNT, query = "SELECT COUNT(b) FROM BlacklistEntry b")
@NamedQuery(name = BlacklistEntry.PURGE_EXPIRED, query = "DELETE FROM BlacklistEntry b WHERE b.expiresAt <= :now")
public class BlacklistEntry {

    public static final String IN_FORCE = "BlacklistEntry.inForce";
    public static final String IDS_IN_FORCE = "BlacklistEntry.idsInForce";
    public static final String COUNT = "BlacklistEntry.count";
    public static final String PURGE_EXPIRED = "BlacklistEntry.purgeExpired";

    @Id
    @Column(name = "peer_id")
    private String peerId;

    @Column(nullable = false)
    private String reason;

    @Column(name = "added_by", nullable = false)
    private String addedBy;

    @Column(name = "added_at", nullable = false)
    private OffsetDateTime addedAt;

    @Column(name = "expires_at")
    private OffsetDateTime expiresAt;

    protected BlacklistEntry() {
        // JPA
    }

    public BlacklistEntry(String peerId, String reason, Instant expiresAt, String addedBy, Instant now) {
        this.peerId = peerId;
        renew(reason, expiresAt, addedBy, now);
    }

    /** A peer blacklisted again: the new reason and expiry replace the old, and it counts as added now. */
    public final void renew(String reason, Instant expiresAt, String addedBy, Instant now) {
        this.reason = reason;
        this.addedBy = addedBy;
        this.addedAt = now.atOffset(ZoneOffset.UTC);
        this.expiresAt = expiresAt == null ? null : expiresAt.atOffset(ZoneOffset.UTC);
    }

    public boolean inForce(Instant now) {
        return expiresAt == null || expiresAt.toInstant().isAfter(now);
    }

    public BlockView view() {
        return new BlockView(peerId, reason, addedAt.toInstant(), expiresAt == null ? null : expiresAt.toInstant(), addedBy);
    }
}
