package dev.switchboard.cluster.entity;

import java.time.Instant;

/**
 * A member left ({@code reason}: {@code shutdown} when it said goodbye, {@code timeout} when its heartbeats stopped);
 * {@code self} when it is this instance stopping.
 */
public record MemberLeft(Member member, boolean self, String reason, Instant at) {
}
