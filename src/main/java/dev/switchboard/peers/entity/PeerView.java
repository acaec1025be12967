package dev.switchboard.peers.entity;

import java.time.Instant;
import java.util.List;

/**
 * One peer as the node dialect lists it. {@code instance} tells a Switchboard instance seen through membership
 * events from a peer registered over REST; {@code metadataJson} is a JSON object's text.
 */
public record PeerView(String id, List<String> addresses, Instant lastSeen, boolean isRelay, boolean canBeRelay,
                       int connectionQuality, String metadataJson, List<String> capabilities, boolean instance) {
}
