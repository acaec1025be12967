package dev.switchboard.peers.entity;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A relay session as an external relay reported it (Switchboard relays nothing itself); {@code reportedAt} is when
 * the record was last written.
 */
public record RelaySessionView(String sessionId, String remotePeerId, Instant startTime, long bytesSent, long bytesRecv,
                               BigDecimal earnings, Instant reportedAt) {
}
