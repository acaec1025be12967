package dev.switchboard.cluster.entity;

import java.time.Instant;

/** A member is alive, with a few figures of its load. */
public record MemberHeartbeat(Member member, long uptimeSeconds, int connections, double systemLoadAverage,
                              long heapUsed, long heapMax, Instant at) {
}
