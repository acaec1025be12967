package dev.switchboard.node.entity;

/**
 * A periodic sample of this node's state. {@code quicConnections} has no meaning in Switchboard (no QUIC transport)
 * and is always 0; {@code relaySessions} counts the relay sessions reported over REST in relay mode (Switchboard
 * relays nothing itself), else 0; {@code knownPeers} counts the peers {@code peers.updated} lists.
 */
public record NodeStatusSampled(String peerId, String dhtNodeId, long uptimeSeconds, int knownPeers,
                                int webSocketConnections, int servicesCount, int quicConnections, int relaySessions) {
}
