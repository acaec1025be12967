package dev.switchboard.peers.entity;

import java.util.List;

/** Relay candidates in NAT mode, every {@code relay.push.interval-seconds}. */
public record RelayCandidatesPublished(List<RelayCandidateView> candidates) {
}
