package dev.switchboard.chat.entity;

import java.time.Instant;

/**
 * A chat message was accepted: it has its id and place in the history and is on its way to the database.
 * {@code seq} orders the history (epoch millis × 1000 + the message's number within that millisecond).
 */
public record ChatMessagePosted(String id, long seq, String userId, String username, String text, Instant createdAt) {
}
