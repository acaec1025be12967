package dev.switchboard.dialect.node;

import dev.switchboard.dialect.JsonText;
import dev.switchboard.hub.entity.Frame;
import dev.switchboard.node.entity.NodeStatusSampled;
import dev.switchboard.service.entity.ServiceView;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonValue;

import java.util.List;

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

    static Frame servicesUpdated(List<ServiceView> services) {
        JsonArrayBuilder list = Json.createArrayBuilder();
        for (ServiceView s : services) {
            list.add(JsonText.object()
                    .add("id", String.valueOf(s.id()))
                    .add("name", s.name())
                    .add("description", s.description())
                    .add("type", s.type().name())
                    .add("config", JsonText.parse(s.configJson()))
                    .add("status", s.status().name())
                    .add("created_at", s.createdAt().getEpochSecond())
                    .add("updated_at", s.updatedAt().getEpochSecond()));
        }
        return NodeCodec.encode("services.updated", JsonText.object().add("services", list));
    }

    /** One streamed part of a search answer; {@code services} empty and {@code complete} true for the end. */
    static Frame searchResponse(List<ServiceView> services, String peerId, String peerName, String error, boolean complete) {
        JsonArrayBuilder list = Json.createArrayBuilder();
        for (ServiceView s : services) {
            list.add(JsonText.object()
                    .add("id", s.id())
                    .add("name", s.name())
                    .add("description", s.description())
                    .add("service_type", s.type().name())
                    .add("type", s.type().category())
                    .add("status", s.status().name())
                    .add("pricing_amount", s.pricingAmount())
                    .add("pricing_type", s.pricingType())
                    .add("pricing_interval", s.pricingInterval())
                    .add("pricing_unit", s.pricingUnit())
                    .add("capabilities", JsonText.parse(s.capabilitiesJson()))
                    .add("peer_id", peerId)
                    .add("peer_name", peerName)
                    .add("interfaces", JsonText.parse(s.interfacesJson())));
        }
        return NodeCodec.encode("service.search.response", JsonText.object()
                .add("services", list).add("error", error).add("complete", complete));
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
