package dev.switchboard.peers.entity;

import java.math.BigDecimal;
import java.time.Instant;

/** A relay this node could use behind NAT, as it was reported; {@code lastSeen} null = the time of the write. */
public record RelayCandidateView(String peerId, String nodeId, String endpoint, long latencyMs, double reputationScore,
                                 BigDecimal pricingPerGb, long capacity, Instant lastSeen, boolean connected,
                                 boolean preferred, Instant reportedAt) {
}
