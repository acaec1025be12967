package dev.switchboard.node.entity;

/**
 * A periodic sample of this node's state. {@code quicConnections} and {@code relaySessions} have no meaning
 * in Switchboard (no QUIC transport, no relaying) and are always 0.
 */
public record NodeStatusSampled(String peerId, String dhtNodeId, long uptimeSeconds, int knownPeers,
                                int webSocketConnections, int servicesCount, int quicConnections, int relaySessions) {
}
