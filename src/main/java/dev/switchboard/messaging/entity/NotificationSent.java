package dev.switchboard.messaging.entity;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * An administrator sent a notification: to everyone (no user, no topic), to every connection of {@code user}, or
 * to the subscribers of {@code topic}. Observers that deliver it add the connections they reached to
 * {@code recipients}, which the sender reads after the (synchronous) event returns.
 */
public record NotificationSent(String level, String title, String message, String actionsJson,
                               String user, String topic, AtomicInteger recipients) {
}
