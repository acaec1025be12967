package dev.switchboard.chat.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** One stored chat message of the workspace. Written once, never changed. */
@Entity
@Table(name = "sb_chat_message")
@NamedQuery(name = ChatMessage.BEFORE, query = "SELECT m FROM ChatMessage m WHERE m.seq < :before ORDER BY m.seq DESC")
@NamedQuery(name = ChatMessage.LAST_SEQ, query = "SELECT MAX(m.seq) FROM ChatMessage m")
public class ChatMessage {

    public static final String BEFORE = "ChatMessage.before";
    public static final String LAST_SEQ = "ChatMessage.lastSeq";

    @Id
    private String id;

    @Column(nullable = false, unique = true)
    private long seq;

    @Column(name = "user_id", nullable = false)
    private String userId;

    @Column(nullable = false)
    private String username;

    @Column(name = "body", nullable = false)
    private String text;

    @Column(name = "created_at", nullable = false)
    private OffsetDateTime createdAt;

    protected ChatMessage() {
        // JPA
    }

    public ChatMessage(ChatMessagePosted posted) {
        this.id = posted.id();
        this.seq = posted.seq();
        this.userId = posted.userId();
        this.username = posted.username();
        this.text = posted.text();
        this.createdAt = OffsetDateTime.ofInstant(posted.createdAt(), ZoneOffset.UTC);
    }

    public ChatMessagePosted view() {
        return new ChatMessagePosted(id, seq, userId, username, text, createdAt.toInstant());
    }
}
