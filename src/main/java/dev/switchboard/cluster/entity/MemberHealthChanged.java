package dev.switchboard.cluster.entity;

import java.time.Instant;

/** A member's health moved ({@code healthy}, {@code degraded}, {@code unreachable}). */
public record MemberHealthChanged(Member member, String health, String previous, Instant at) {
}
