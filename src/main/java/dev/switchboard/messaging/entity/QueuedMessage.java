package dev.switchboard.messaging.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * A direct message waiting for its offline recipient. Rows leave the table when they are claimed for delivery
 * (in the claiming transaction) or when they expire; {@code queued_at, id} is the delivery order.
 */
@Entity
@Table(name = "sb_queued_message")
@NamedQuery(name = QueuedMessage.DELIVERABLE, query = "SELECT m FROM QueuedMessage m WHERE m.targetUser = :user"
        + " AND (m.expiresAt IS NULL OR m.expiresAt > :now) ORDER BY m.queuedAt, m.id")
@NamedQuery(name = QueuedMessage.COUNT_FOR, query = "SELECT COUNT(m) FROM QueuedMessage m WHERE m.targetUser = :user")
@NamedQuery(name = QueuedMessage.PURGE_EXPIRED, query = "DELETE FROM QueuedMessage m WHERE m.expiresAt <= :now")
public class QueuedMessage {

    public static final String DELIVERABLE = "QueuedMessage.deliverable";
    public static final String COUNT_FOR = "QueuedMessage.countFor";
    public static final String PURGE_EXPIRED = "QueuedMessage.purgeExpired";

    @Id
    @SequenceGenerator(name = "sb_queued_message_seq", sequenceName = "sb_queued_message_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "sb_queued_message_seq")
    private Long id;

    @Column(name = "target_user", nullable = false)
    private String targetUser;

    @Column(name = "from_user", nullable = false)
    private String fromUser;

    @Column(name = "message_id", nullable = false)
    private String messageId;

    @Column(nullable = false)
    private String payload;

    @Column(name = "queued_at", nullable = false)
    private OffsetDateTime queuedAt;

    @Column(name = "expires_at")
    private OffsetDateTime expiresAt;

    protected QueuedMessage() {
        // JPA
    }

    public QueuedMessage(PendingDirectMessage m) {
        this.targetUser = m.targetUser();
        this.fromUser = m.fromUser();
        this.messageId = m.messageId();
        this.payload = m.payloadJson();
        this.queuedAt = m.sentAt().atOffset(ZoneOffset.UTC);
        this.expiresAt = m.expiresAt() == null ? null : m.expiresAt().atOffset(ZoneOffset.UTC);
    }

    public PendingDirectMessage view() {
        return new PendingDirectMessage(targetUser, fromUser, messageId, payload, queuedAt.toInstant(),
                expiresAt == null ? null : expiresAt.toInstant());
    }
}
