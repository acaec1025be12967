package dev.switchboard.dialect.node;

import dev.switchboard.hub.entity.Frame;
import dev.switchboard.node.entity.NodeStatusSampled;

import jakarta.json.Json;
import jakarta.json.JsonValue;

/** The node dialect's server → client frames, one factory per message type of spec/node.md. */
final class NodeFrames {

    private NodeFrames() {
    }

    static Frame connected(String peerId) {
        return NodeCodec.encode("connected", Json.createObjectBuilder()
                .add("message", "Connected to WebSocket server")
                .add("peer_id", peerId));
    }

    static Frame pong() {
        return NodeCodec.encode("pong", JsonValue.NULL);
    }

    static Frame nodeStatus(NodeStatusSampled s) {
        return NodeCodec.encode("node.status", Json.createObjectBuilder()
                .add("peer_id", s.peerId())
                .add("dht_node_id", s.dhtNodeId())
                .add("uptime_seconds", s.uptimeSeconds())
                .add("stats", Json.createObjectBuilder()
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
