package dev.switchboard.peers.entity;

import dev.switchboard.common.JsonText;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;

import java.time.Duration;
import java.time.Instant;

/**
 * The peers' JSON shapes of spec/node.md messages 5–8, in one place: the node frames send them as they are, the REST
 * resources add their own fields. Times are Unix seconds; an expiry of 0 means never, as the spec's example.
 */
public final class PeerJson {

    private PeerJson() {
    }

    /** A {@code peers.updated} entry: the spec's seven fields. */
    public static JsonObjectBuilder peer(PeerView p) {
        JsonArrayBuilder addresses = JsonText.array();
        p.addresses().forEach(addresses::add);
        return JsonText.object()
                .add("id", p.id())
                .add("addresses", addresses)
                .add("last_seen", p.lastSeen() == null ? 0 : p.lastSeen().getEpochSecond())
                .add("is_relay", p.isRelay())
                .add("can_be_relay", p.canBeRelay())
                .add("connection_quality", p.connectionQuality())
                .add("metadata", JsonText.parse(p.metadataJson()));
    }

    /** A {@code blacklist.updated} entry. */
    public static JsonObjectBuilder block(BlockView b) {
        return JsonText.object()
                .add("peer_id", b.peerId())
                .add("reason", b.reason())
                .add("added_at", b.addedAt().getEpochSecond())
                .add("expires_at", b.expiresAt() == null ? 0 : b.expiresAt().getEpochSecond());
    }

    /** A {@code relay.sessions} entry; {@code duration_seconds} runs from {@code start_time} to {@code now}. */
    public static JsonObjectBuilder session(RelaySessionView s, Instant now) {
        return JsonText.object()
                .add("session_id", s.sessionId())
                .add("remote_peer_id", s.remotePeerId())
                .add("start_time", s.startTime().getEpochSecond())
                .add("duration_seconds", Math.max(0, Duration.between(s.startTime(), now).getSeconds()))
                .add("bytes_sent", s.bytesSent())
                .add("bytes_recv", s.bytesRecv())
                .add("earnings", s.earnings());
    }

    /** A {@code relay.candidates} entry; {@code latency} is {@code latency_ms} written as Go's duration would be ("50ms"). */
    public static JsonObjectBuilder candidate(RelayCandidateView c) {
        return JsonText.object()
                .add("node_id", c.nodeId())
                .add("peer_id", c.peerId())
                .add("endpoint", c.endpoint())
                .add("latency", c.latencyMs() + "ms")
                .add("latency_ms", c.latencyMs())
                .add("reputation_score", c.reputationScore())
                .add("pricing_per_gb", c.pricingPerGb())
                .add("capacity", c.capacity())
                .add("last_seen", c.lastSeen().getEpochSecond())
                .add("is_connected", c.connected())
                .add("is_preferred", c.preferred());
    }
}
