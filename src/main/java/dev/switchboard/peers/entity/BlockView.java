package dev.switchboard.peers.entity;

import java.time.Instant;

/** A blacklisted peer; {@code expiresAt} null = never. */
public record BlockView(String peerId, String reason, Instant addedAt, Instant expiresAt, String addedBy) {
}
