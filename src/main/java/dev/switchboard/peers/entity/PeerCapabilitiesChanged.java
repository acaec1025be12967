package dev.switchboard.peers.entity;

import java.time.Instant;
import java.util.List;

/** A peer's capabilities differ from what was known of it (a new peer's count as changed from none). */
public record PeerCapabilitiesChanged(String peerId, List<String> capabilities, List<String> previous, boolean instance,
                                      Instant at) {
}
