package dev.switchboard.chat.control;

import dev.switchboard.chat.entity.ChatMessage;
import dev.switchboard.chat.entity.ChatMessagePosted;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import java.util.List;

/** The stored chat history. Every method is its own transaction: callers are the writer thread and REST reads. */
@ApplicationScoped
public class ChatArchive {

    @PersistenceContext(unitName = "switchboard")
    EntityManager em;

    /** Inserts a batch in one transaction; one bad row fails them all (the caller then retries one by one). */
    @Transactional
    public void insert(List<ChatMessagePosted> batch) {
        for (ChatMessagePosted m : batch) {
            em.persist(new ChatMessage(m));
        }
    }

    /** @return up to {@code limit} messages with {@code seq < before}, newest first */
    @Transactional
    public List<ChatMessagePosted> before(long before, int limit) {
        return em.createNamedQuery(ChatMessage.BEFORE, ChatMessage.class)
                .setParameter("before", before)
                .setMaxResults(limit)
                .getResultStream().map(ChatMessage::view).toList();
    }

    /** @return the highest stored {@code seq}, or 0 when the history is empty */
    @Transactional
    public long lastSeq() {
        Long last = em.createNamedQuery(ChatMessage.LAST_SEQ, Long.class).getSingleResult();
        return last == null ? 0 : last;
    }
}
