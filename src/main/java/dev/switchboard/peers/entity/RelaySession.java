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
 * A relay session fed over REST by whatever relays traffic for this node (Switchboard itself relays nothing).
 * A record not written again for {@code relay.record-ttl-seconds} is stale: left out, then deleted.
 */
@Entity
@Table(name = "sb_relay_session")
@NamedQuery(name = RelaySession.FRESH, query = "SELECT s FROM RelaySession s WHERE s.reportedAt > :since ORDER BY s.startTime, s.sessionId")
@NamedQuery(name = RelaySession.COUNT, query = "SELECT COUNT(s) FROM RelaySession s")
@NamedQuery(name = RelaySession.PURGE_STALE, query = "DELETE FROM RelaySession s WHERE s.reportedAt <= :since")
public class RelaySession {

    public static final String FRESH = "RelaySession.fresh";
    public static final String COUNT = "RelaySession.count";
    public static final String PURGE_STALE = "RelaySession.purgeStale";

    @Id
    @Column(name = "session_id")
    private String sessionId;

    @Column(name = "remote_peer_id", nullable = false)
    private String remotePeerId;

    @Column(name = "start_time", nullable = false)
    private OffsetDateTime startTime;

    @Column(name = "bytes_sent", nullable = false)
    private long bytesSent;

    @Column(name = "bytes_recv", nullable = false)
    private long bytesRecv;

    @Column(nullable = false)
    private BigDecimal earnings;

    @Column(name = "reported_at", nullable = false)
    private OffsetDateTime reportedAt;

    protected RelaySession() {
        // JPA
    }

    public RelaySession(RelaySessionView v) {
        this.sessionId = v.sessionId();
        apply(v);
    }

    public final void apply(RelaySessionView v) {
        this.remotePeerId = v.remotePeerId();
        this.startTime = v.startTime().atOffset(ZoneOffset.UTC);
        this.bytesSent = v.bytesSent();
        this.bytesRecv = v.bytesRecv();
        this.earnings = v.earnings();
        this.reportedAt = v.reportedAt().atOffset(ZoneOffset.UTC);
    }

    public RelaySessionView view() {
        return new RelaySessionView(sessionId, remotePeerId, startTime.toInstant(), bytesSent, bytesRecv, earnings,
                reportedAt.toInstant());
    }
}
