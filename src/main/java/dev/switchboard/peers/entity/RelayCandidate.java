package dev.switchboard.peers.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * A relay candidate fed over REST (from whatever discovers relays for this node behind NAT). Stale after
 * {@code relay.record-ttl-seconds} without a write, as {@link RelaySession}.
 */
@Entity
@Table(name = "sb_relay_candidate")
@NamedQuery(name = RelayCandidate.FRESH, query = "SELECT c FROM RelayCandidate c WHERE c.reportedAt > :since ORDER BY c.latencyMs, c.peerId")
@NamedQuery(name = RelayCandidate.COUNT, query = "SELECT COUNT(c) FROM RelayCandidate c")
@NamedQuery(name = RelayCandidate.PURGE_STALE, query = "DELETE FROM RelayCandidate c WHERE c.reportedAt <= :since")
public class RelayCandidate {

    public static final String FRESH = "RelayCandidate.fresh";
    public static final String COUNT = "RelayCandidate.count";
    public static final String PURGE_STALE = "RelayCandidate.purgeStale";

    @Id
    @Column(name = "peer_id")
    private String peerId;

    @Column(name = "node_id", nullable = false)
    private String nodeId;

    @Column(nullable = false)
    private String endpoint;

    @Column(name = "latency_ms", nullable = false)
    private long latencyMs;

    @Column(name = "reputation_score", nullable = false)
    private double reputationScore;

    @Column(name = "pricing_per_gb", nullable = false)
    private BigDecimal pricingPerGb;

    @Column(nullable = false)
    private long capacity;

    @Column(name = "last_seen", nullable = false)
    private OffsetDateTime lastSeen;

    @Column(name = "is_connected", nullable = false)
    private boolean connected;

    @Column(name = "is_preferred", nullable = false)
    private boolean preferred;

    @Column(name = "reported_at", nullable = false)
    private OffsetDateTime reportedAt;

    protected RelayCandidate() {
        // JPA
    }

    public RelayCandidate(RelayCandidateView v) {
        this.peerId = v.peerId();
        apply(v);
    }

    public final void apply(RelayCandidateView v) {
        this.nodeId = v.nodeId();
        this.endpoint = v.endpoint();
        this.latencyMs = v.latencyMs();
        this.reputationScore = v.reputationScore();
        this.pricingPerGb = v.pricingPerGb();
        this.capacity = v.capacity();
        this.lastSeen = (v.lastSeen() == null ? v.reportedAt() : v.lastSeen()).atOffset(ZoneOffset.UTC);
        this.connected = v.connected();
        this.preferred = v.preferred();
        this.reportedAt = v.reportedAt().atOffset(ZoneOffset.UTC);
    }

    public RelayCandidateView view() {
        return new RelayCandidateView(peerId, nodeId, endpoint, latencyMs, reputationScore, pricingPerGb, capacity,
                lastSeen.toInstant(), connected, preferred, reportedAt.toInstant());
    }
}
