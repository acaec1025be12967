package dev.switchboard.messaging.entity;

import java.time.Instant;

/** A direct message taken out of the offline mailbox for delivery; {@code payloadJson} is the sender's payload as JSON text. */
public record PendingDirectMessage(String targetUser, String fromUser, String messageId, String payloadJson,
                                   Instant sentAt, Instant expiresAt) {
}
