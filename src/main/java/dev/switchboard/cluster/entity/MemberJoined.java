package dev.switchboard.cluster.entity;

import java.time.Instant;

/** A member joined; {@code self} when it is this instance starting. */
public record MemberJoined(Member member, boolean self, Instant at) {
}
