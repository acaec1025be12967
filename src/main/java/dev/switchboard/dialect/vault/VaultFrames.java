package dev.switchboard.dialect.vault;

import dev.switchboard.cluster.entity.Member;
import dev.switchboard.cluster.entity.MemberHealthChanged;
import dev.switchboard.cluster.entity.MemberLeft;
import dev.switchboard.cluster.entity.TopologyChanged;
import dev.switchboard.common.JsonText;
import dev.switchboard.dialect.Decoded;
import dev.switchboard.common.WireTime;
import dev.switchboard.hub.entity.Frame;
import dev.switchboard.ops.entity.MetricsSampled;
import dev.switchboard.ops.entity.ThresholdCrossed;
import dev.switchboard.upload.entity.FileDeleted;
import dev.switchboard.upload.entity.FileReplicated;
import dev.switchboard.upload.entity.UploadCompleted;
import dev.switchboard.upload.entity.UploadProgress;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** The vault dialect's server → client frames, one factory per message type of spec/vault.md. */
final class VaultFrames {

    private VaultFrames() {
    }

    /** The spec's {@code error {code, message}} frame: every refusal of the vault dialect is one. */
    static Frame error(String code, String message, String clientId) {
        return VaultCodec.encode("error", null, JsonText.object().add("code", code).add("message", message), clientId);
    }

    static Frame refused(Decoded.Refused<?> r, String clientId) {
        return error(r.code(), r.text(), clientId);
    }

    static Frame rateLimited(long retryAfterSeconds, String clientId) {
        return VaultCodec.encode("error", null, JsonText.object().add("code", VaultCodec.RATE_LIMIT_EXCEEDED)
                .add("message", "Rate limit exceeded. Please slow down your requests.")
                .add("retryAfter", retryAfterSeconds), clientId);
    }

    static Frame connected(String clientId, String user, List<String> topics) {
        JsonObjectBuilder data = JsonText.object().add("clientId", clientId).add("authenticated", user != null)
                .add("topics", strings(topics));
        if (user != null) {
            data.add("user", user);
        }
        return VaultCodec.encode("connected", null, data, clientId);
    }

    static Frame subscription(String type, String topic, Collection<String> now, String clientId) {
        return VaultCodec.encode(type, topic, JsonText.object().add("topic", topic).add("subscriptions", strings(now)), clientId);
    }

    static Frame authenticated(String user, Instant expiresAt, String clientId) {
        JsonObjectBuilder data = JsonText.object().add("user", user);
        if (expiresAt != null) {
            data.add("expiresAt", WireTime.iso(expiresAt));
        }
        return VaultCodec.encode("authenticated", null, data, clientId);
    }

    static Frame pong(String clientId) {
        return VaultCodec.encode("pong", null, JsonText.object(), clientId);
    }

    /** The file's key is its address in this node's file area, the same in {@code file_uploaded} and {@code file_deleted}. */
    static String key(long serviceId, String path) {
        return "services/" + serviceId + "/files/" + path;
    }

    static Frame fileUploaded(UploadCompleted done, String node) {
        UploadProgress u = done.upload();
        String at = WireTime.now();
        return VaultCodec.encode(done.replaced() ? "file_updated" : "file_uploaded", VaultCodec.FILE_OPERATIONS,
                JsonText.object()
                        .add("key", key(u.serviceId(), u.filePath()))
                        .add("size", u.totalSize())
                        .add("node", node)
                        .add("timestamp", at)
                        .add("hash", u.fileHash() == null ? "" : u.fileHash())
                        .add("serviceId", u.serviceId())
                        .add("path", u.filePath())
                        .add("filename", u.filename())
                        .add("uploadedBy", done.owner() == null ? "" : done.owner()), null);
    }

    static Frame fileDeleted(FileDeleted deleted, String node) {
        return VaultCodec.encode("file_deleted", VaultCodec.FILE_OPERATIONS, JsonText.object()
                .add("key", key(deleted.serviceId(), deleted.filePath()))
                .add("node", node)
                .add("timestamp", WireTime.now())
                .add("serviceId", deleted.serviceId())
                .add("path", deleted.filePath())
                .add("deletedBy", deleted.by() == null ? "" : deleted.by()), null);
    }

    static Frame fileReplicated(FileReplicated r, String node) {
        return VaultCodec.encode("file_replicated", VaultCodec.FILE_OPERATIONS, JsonText.object()
                .add("key", key(r.serviceId(), r.filePath()))
                .add("size", r.size())
                .add("node", node)
                .add("target", r.targetMember())
                .add("hash", r.hash())
                .add("timestamp", WireTime.now()), null);
    }

    static Frame peerConnected(Member m, Instant at) {
        return VaultCodec.encode("peer_connected", VaultCodec.PEER_NETWORK, member(m).add("timestamp", WireTime.iso(at)), null);
    }

    static Frame peerDisconnected(MemberLeft left) {
        return VaultCodec.encode("peer_disconnected", VaultCodec.PEER_NETWORK, JsonText.object()
                .add("id", left.member().id())
                .add("reason", left.reason())
                .add("timestamp", WireTime.iso(left.at())), null);
    }

    static Frame peerHealthChanged(MemberHealthChanged h) {
        return VaultCodec.encode("peer_health_changed", VaultCodec.PEER_NETWORK, JsonText.object()
                .add("id", h.member().id())
                .add("health", h.health())
                .add("previousHealth", h.previous())
                .add("timestamp", WireTime.iso(h.at())), null);
    }

    static Frame topologyChanged(TopologyChanged t) {
        JsonArrayBuilder peers = JsonText.array();
        t.members().forEach(m -> peers.add(member(m)));
        return VaultCodec.encode("network_topology_changed", VaultCodec.PEER_NETWORK, JsonText.object()
                .add("peers", peers)
                .add("peerCount", t.members().size())
                .add("timestamp", WireTime.iso(t.at())), null);
    }

    private static JsonObjectBuilder member(Member m) {
        return JsonText.object().add("id", m.id()).add("name", m.name()).add("address", m.address()).add("port", m.port())
                .add("capabilities", strings(m.capabilities()));
    }

    static JsonObjectBuilder storage(MetricsSampled.Storage s) {
        return JsonText.object().add("totalSpace", s.totalSpace()).add("usedSpace", s.usedSpace())
                .add("availableSpace", s.availableSpace());
    }

    static JsonObjectBuilder network(MetricsSampled.Network n) {
        return JsonText.object().add("activeConnections", n.activeConnections())
                .add("totalBytesTransferred", n.totalBytesTransferred());
    }

    static JsonObjectBuilder performance(MetricsSampled.Performance p) {
        return JsonText.object().add("averageResponseTime", round(p.averageResponseTime(), 6))
                .add("requestsPerSecond", round(p.requestsPerSecond(), 3));
    }

    static Frame systemMetrics(MetricsSampled s) {
        return VaultCodec.encode("system_metrics", VaultCodec.SYSTEM, JsonText.object()
                .add("storage", storage(s.storage()))
                .add("network", network(s.network()))
                .add("performance", performance(s.performance())), null);
    }

    static Frame storageMetrics(MetricsSampled s) {
        return VaultCodec.encode("storage_metrics", VaultCodec.SYSTEM, storage(s.storage())
                .add("usedPercent", round(s.storage().usedPercent(), 2))
                .add("path", s.storage().path())
                .add("timestamp", WireTime.iso(s.at())), null);
    }

    static Frame networkMetrics(MetricsSampled s) {
        MetricsSampled.Network n = s.network();
        return VaultCodec.encode("network_metrics", VaultCodec.SYSTEM, network(n)
                .add("bytesIn", n.bytesIn()).add("bytesOut", n.bytesOut())
                .add("messagesIn", n.messagesIn()).add("messagesOut", n.messagesOut())
                .add("droppedConnections", n.droppedConnections())
                .add("timestamp", WireTime.iso(s.at())), null);
    }

    static Frame performanceMetrics(MetricsSampled s) {
        MetricsSampled.Performance p = s.performance();
        return VaultCodec.encode("performance_metrics", VaultCodec.SYSTEM, performance(p)
                .add("requests", p.requests()).add("windowSeconds", p.windowSeconds())
                .add("systemLoadAverage", round(p.systemLoadAverage(), 2)).add("processors", p.processors())
                .add("heapUsed", s.memory().heapUsed()).add("heapMax", s.memory().heapMax())
                .add("memoryUsage", round(s.memory().usagePercent(), 2))
                .add("uptimeSeconds", s.uptimeSeconds())
                .add("timestamp", WireTime.iso(s.at())), null);
    }

    static Frame alert(ThresholdCrossed c) {
        String type = c.kind().name().toLowerCase(Locale.ROOT) + "_alert";
        return VaultCodec.encode(type, VaultCodec.ALERTS, JsonText.object()
                .add("level", c.level())
                .add("message", c.message())
                .add("metric", c.metric())
                .add("value", c.value())
                .add("threshold", c.threshold())
                .add("timestamp", WireTime.iso(c.at())), null);
    }

    private static JsonArrayBuilder strings(Collection<String> values) {
        JsonArrayBuilder a = JsonText.array();
        values.forEach(a::add);
        return a;
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
