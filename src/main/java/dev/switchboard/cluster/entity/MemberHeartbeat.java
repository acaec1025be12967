package dev.switchboard.cluster.entity;

import java.time.Instant;

/**
 * A member is alive, with a few figures of its load. {@code self} when it is this instance's own beat;
 * {@code sequence} counts a member's beats (a gap is a lost beat), {@code at} is when the member sent it and
 * {@code receivedAt} when it arrived here.
 */
public record MemberHeartbeat(Member member, long uptimeSeconds, int connections, double systemLoadAverage,
                              long heapUsed, long heapMax, Instant at, boolean self, long sequence, Instant receivedAt) {

    /** This instance's own beat (what the record was before clustering). */
    public MemberHeartbeat(Member member, long uptimeSeconds, int connections, double systemLoadAverage,
                           long heapUsed, long heapMax, Instant at) {
        this(member, uptimeSeconds, connections, systemLoadAverage, heapUsed, heapMax, at, true, 0, at);
    }
}
