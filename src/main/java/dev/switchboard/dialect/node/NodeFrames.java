package dev.switchboard.dialect.node;

import dev.switchboard.dialect.JsonText;
import dev.switchboard.hub.entity.Frame;
import dev.switchboard.node.entity.NodeStatusSampled;

import jakarta.json.JsonValue;

/** The node dialect's server → client frames, one factory per message type of spec/node.md. */
final class NodeFrames {

    private NodeFrames() {
    }

    static Frame connected(String peerId) {
        return NodeCodec.encode("connected", JsonText.object()
                .add("message", "Connected to WebSocket server")
                .add("peer_id", peerId));
    }

    static Frame pong() {
        return NodeCodec.encode("pong", JsonValue.NULL);
    }

    static Frame nodeStatus(NodeStatusSampled s) {
        return NodeCodec.encode("node.status", JsonText.object()
                .add("peer_id", s.peerId())
                .add("dht_node_id", s.dhtNodeId())
                .add("uptime_seconds", s.uptimeSeconds())
                .add("stats", JsonText.object()
                        .add("peer_id", s.peerId())
                        .add("dht_node_id", s.dhtNodeId())
                        .add("uptime_seconds", s.uptimeSeconds())
                        .add("quic_connections", s.quicConnections())
                        .add("relay_sessions", s.relaySessions())
                        .add("services_count", s.servicesCount())
                        .add("websocket_connections", s.webSocketConnections()))
                .add("known_peers", s.knownPeers()));
    }
}
