package dev.switchboard.messaging.control;

import dev.switchboard.messaging.entity.MailboxFull;
import dev.switchboard.messaging.entity.PendingDirectMessage;
import dev.switchboard.messaging.entity.QueuedMessage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Direct messages for users who are not connected, kept in the database until they connect or the message's
 * time to live runs out. {@link #claim} locks a user's rows ({@code SELECT ... FOR UPDATE}), deletes them and
 * returns them in the order they were sent, in one transaction: two claims at once (two connections of one user,
 * on one instance or two) never both get a message, since the second waits for the first's commit and then no
 * longer sees the deleted rows.
 */
@ApplicationScoped
@Transactional
public class Mailbox {

    @PersistenceContext(unitName = "switchboard")
    EntityManager em;

    @Inject
    @ConfigProperty(name = "messaging.queue.max-per-user", defaultValue = "500")
    int maxPerUser;

    @Inject
    @ConfigProperty(name = "messaging.queue.max-ttl-seconds", defaultValue = "604800")
    long maxTtlSeconds;

    /** When a message sent at {@code sentAt} with this ttl (seconds, null = none) stops being deliverable. */
    public Instant expiry(Long ttlSeconds, Instant sentAt) {
        long ttl = ttlSeconds == null ? maxTtlSeconds : Math.min(Math.max(ttlSeconds, 0), maxTtlSeconds);
        return sentAt.plusSeconds(ttl);
    }

    /**
     * Stores one message. The limit is checked before the insert without a lock, so concurrent senders may
     * overshoot it by a few messages; it exists to bound storage, not to count exactly.
     */
    public void store(PendingDirectMessage message) throws MailboxFull {
        long held = em.createNamedQuery(QueuedMessage.COUNT_FOR, Long.class)
                .setParameter("user", message.targetUser()).getSingleResult();
        if (held >= maxPerUser) {
            throw new MailboxFull(message.targetUser(), maxPerUser);
        }
        em.persist(new QueuedMessage(message));
    }

    /** Takes at most {@code max} of the user's deliverable messages out of the mailbox, oldest first. */
    public List<PendingDirectMessage> claim(String user, int max) {
        List<QueuedMessage> rows = em.createNamedQuery(QueuedMessage.DELIVERABLE, QueuedMessage.class)
                .setParameter("user", user)
                .setParameter("now", OffsetDateTime.now(ZoneOffset.UTC))
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .setMaxResults(max)
                .getResultList();
        List<PendingDirectMessage> out = new ArrayList<>(rows.size());
        for (QueuedMessage row : rows) {
            out.add(row.view());
            em.remove(row);
        }
        em.flush();
        return out;
    }

    /** Puts claimed messages back (their connection closed before they could be queued to it); order is kept by send time. */
    public void putBack(List<PendingDirectMessage> messages) {
        for (PendingDirectMessage m : messages) {
            em.persist(new QueuedMessage(m));
        }
    }

    public int purgeExpired() {
        return em.createNamedQuery(QueuedMessage.PURGE_EXPIRED).setParameter("now", OffsetDateTime.now(ZoneOffset.UTC)).executeUpdate();
    }

    /** How many messages wait for a user, expired ones included until they are purged. */
    public long waiting(String user) {
        return em.createNamedQuery(QueuedMessage.COUNT_FOR, Long.class).setParameter("user", user).getSingleResult();
    }
}
