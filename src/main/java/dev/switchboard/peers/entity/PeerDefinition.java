package dev.switchboard.peers.entity;

import java.time.Instant;
import java.util.List;

/**
 * What a client may set on a registered peer, validated. {@code lastSeen} null means "now" (the time of the write);
 * {@code metadataJson} is a JSON object's text.
 */
public record PeerDefinition(String id, List<String> addresses, boolean isRelay, boolean canBeRelay, int connectionQuality,
                             String metadataJson, List<String> capabilities, Instant lastSeen) {
}
