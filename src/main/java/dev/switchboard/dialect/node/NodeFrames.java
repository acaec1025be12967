package dev.switchboard.dialect.node;

import dev.switchboard.common.JsonText;
import dev.switchboard.dialect.Decoded;
import dev.switchboard.hub.entity.Frame;
import dev.switchboard.node.entity.NodeStatusSampled;
import dev.switchboard.peers.entity.BlockView;
import dev.switchboard.peers.entity.PeerCapabilitiesChanged;
import dev.switchboard.peers.entity.PeerJson;
import dev.switchboard.peers.entity.PeerView;
import dev.switchboard.peers.entity.RelayCandidateView;
import dev.switchboard.peers.entity.RelaySessionView;
import dev.switchboard.service.entity.ServiceSecrets;
import dev.switchboard.operation.entity.OperationEvent;
import dev.switchboard.operation.entity.OperationKind;
import dev.switchboard.service.entity.ServiceView;
import dev.switchboard.upload.entity.UploadException;
import dev.switchboard.upload.entity.UploadProgress;
import dev.switchboard.workflow.entity.ExecutionView;
import dev.switchboard.workflow.entity.JobDefinition;
import dev.switchboard.workflow.entity.JobExecutionView;
import dev.switchboard.workflow.entity.WorkflowView;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import java.time.Instant;
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

    /** The spec's {@code error {error, code}} frame: every refusal of the node dialect is one. */
    static Frame error(String code, String error) {
        return NodeCodec.encode("error", JsonText.object().add("error", error).add("code", code));
    }

    static Frame refused(Decoded.Refused<?> r) {
        return error(r.code(), r.text());
    }

    /** @param privileged whether the receivers hold a writing role: everyone else gets the config's secrets masked */
    static Frame servicesUpdated(List<ServiceView> services, boolean privileged) {
        JsonArrayBuilder list = JsonText.array();
        for (ServiceView s : services) {
            JsonValue config = JsonText.parse(s.configJson());
            list.add(JsonText.object()
                    .add("id", String.valueOf(s.id()))
                    .add("name", s.name())
                    .add("description", s.description())
                    .add("type", s.type().name())
                    .add("config", privileged ? config : ServiceSecrets.masked(config))
                    .add("status", s.status().name())
                    .add("created_at", s.createdAt().getEpochSecond())
                    .add("updated_at", s.updatedAt().getEpochSecond()));
        }
        return NodeCodec.encode("services.updated", JsonText.object().add("services", list));
    }

    /** One streamed part of a search answer; {@code services} empty and {@code complete} true for the end. */
    static Frame searchResponse(List<ServiceView> services, String peerId, String peerName, String error, boolean complete) {
        JsonArrayBuilder list = JsonText.array();
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

    static Frame executionUpdated(ExecutionView e) {
        JsonObjectBuilder p = JsonText.object().add("execution_id", e.id()).add("workflow_id", e.workflowId())
                .add("status", e.status().wire()).add("error", e.error());
        if (e.startedAt() != null) {
            p.add("started_at", e.startedAt().toString());
        }
        if (e.completedAt() != null) {
            p.add("completed_at", e.completedAt().toString());
        }
        return NodeCodec.encode("execution.updated", p);
    }

    static Frame jobStatusUpdated(JobExecutionView j) {
        return NodeCodec.encode("job.status.updated", JsonText.object().add("job_execution_id", j.id())
                .add("workflow_job_id", j.workflowJobId()).add("execution_id", j.executionId()).add("job_name", j.jobName())
                .add("status", j.status().wire()).add("error", j.error()));
    }

    static Frame workflowsUpdated(List<WorkflowView> workflows) {
        JsonArrayBuilder list = JsonText.array();
        for (WorkflowView w : workflows) {
            JsonArrayBuilder jobs = JsonText.array();
            JsonObjectBuilder dependencies = JsonText.object();
            for (JobDefinition j : w.jobs()) {
                jobs.add(JsonText.object().add("id", j.id()).add("name", j.name()).add("service_id", j.serviceId())
                        .add("input", j.input()).add("config", JsonText.parse(j.configJson())));
                if (!j.dependsOn().isEmpty()) {
                    JsonArrayBuilder deps = JsonText.array();
                    j.dependsOn().forEach(deps::add);
                    dependencies.add(j.name(), deps);
                }
            }
            list.add(JsonText.object().add("id", String.valueOf(w.id())).add("name", w.name())
                    .add("description", w.description()).add("status", w.status()).add("job_count", w.jobs().size())
                    .add("config", JsonText.object().add("jobs", jobs).add("dependencies", dependencies))
                    .add("created_at", w.createdAt().getEpochSecond()).add("updated_at", w.updatedAt().getEpochSecond()));
        }
        return NodeCodec.encode("workflows.updated", JsonText.object().add("workflows", list));
    }

    static Frame uploadProgress(UploadProgress u) {
        return NodeCodec.encode("file.upload.progress", JsonText.object().add("session_id", u.sessionId())
                .add("chunks_received", u.chunksReceived()).add("bytes_uploaded", u.bytesUploaded())
                .add("percentage", Math.round(u.percentage() * 100) / 100.0));
    }

    static Frame uploadComplete(UploadProgress u) {
        return NodeCodec.encode("file.upload.complete", JsonText.object().add("session_id", u.sessionId())
                .add("file_hash", u.fileHash()));
    }

    static Frame uploadError(UploadException e) {
        return NodeCodec.encode("file.upload.error", JsonText.object().add("session_id", e.sessionId() == null ? "" : e.sessionId())
                .add("error", e.getMessage()).add("code", e.code()));
    }

    /** Message 5: the spec's seven fields per peer, nothing else (instances say who they are in {@code metadata}). */
    static Frame peersUpdated(List<PeerView> peers) {
        JsonArrayBuilder list = JsonText.array();
        peers.forEach(p -> list.add(PeerJson.peer(p)));
        return NodeCodec.encode("peers.updated", JsonText.object().add("peers", list));
    }

    /** Message 6; {@code expires_at} 0 = never, as the spec's example. */
    static Frame blacklistUpdated(List<BlockView> entries) {
        JsonArrayBuilder list = JsonText.array();
        entries.forEach(b -> list.add(PeerJson.block(b)));
        return NodeCodec.encode("blacklist.updated", JsonText.object().add("blacklist", list));
    }

    /** Message 7; {@code duration_seconds} runs from {@code start_time} to {@code now}. */
    static Frame relaySessions(List<RelaySessionView> sessions, Instant now) {
        JsonArrayBuilder list = JsonText.array();
        sessions.forEach(s -> list.add(PeerJson.session(s, now)));
        return NodeCodec.encode("relay.sessions", JsonText.object().add("sessions", list));
    }

    /** Message 8. */
    static Frame relayCandidates(List<RelayCandidateView> candidates) {
        JsonArrayBuilder list = JsonText.array();
        candidates.forEach(c -> list.add(PeerJson.candidate(c)));
        return NodeCodec.encode("relay.candidates", JsonText.object().add("candidates", list));
    }

    /** Message 12 (the spec gives no payload): the peer and its capabilities now. */
    static Frame peerCapabilitiesUpdated(PeerCapabilitiesChanged c) {
        JsonArrayBuilder capabilities = JsonText.array();
        c.capabilities().forEach(capabilities::add);
        return NodeCodec.encode("peer.capabilities.updated", JsonText.object()
                .add("peer_id", c.peerId()).add("capabilities", capabilities));
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

    /**
     * Messages 16–25 of spec/node.md, one per operation event, with the spec's payloads. Beside them: the
     * pull's {@code operation_id} and {@code layer_id}, the build output's {@code operation_id}, the standalone
     * progress's {@code stream} (builder output) and the start's {@code repo_url} or {@code image_name} of either family.
     */
    static Frame operation(OperationEvent event) {
        if (event instanceof OperationEvent.Started e) {
            JsonObjectBuilder p = JsonText.object().add("operation_id", e.operationId()).add("operation_type", e.operationType())
                    .add("service_name", e.serviceName());
            if (e.family() == OperationKind.Family.DOCKER) {
                p.add("image_name", e.imageName());
                if (!e.repoUrl().isEmpty()) {
                    p.add("repo_url", e.repoUrl());
                }
            } else {
                p.add("repo_url", e.repoUrl());
            }
            return NodeCodec.encode(e.family().wire() + ".operation.start", p.add("message", e.message()));
        }
        if (event instanceof OperationEvent.Progressed e) {
            JsonObjectBuilder p = JsonText.object().add("operation_id", e.operationId()).add("message", e.message())
                    .add("percentage", Math.round(e.percentage() * 10) / 10.0);
            if (e.family() == OperationKind.Family.STANDALONE) {
                p.add("step", e.step());
                if (!e.stream().isEmpty()) {
                    p.add("stream", e.stream());
                }
            } else {
                p.add("stream", e.stream()).add("step", e.step());
            }
            return NodeCodec.encode(e.family().wire() + ".operation.progress", p);
        }
        if (event instanceof OperationEvent.PullProgressed e) {
            JsonObjectBuilder detail = JsonText.object();
            if (e.current() != null) {
                detail.add("current", e.current());
            }
            if (e.total() != null) {
                detail.add("total", e.total());
            }
            return NodeCodec.encode("docker.pull.progress", JsonText.object().add("operation_id", e.operationId())
                    .add("service_name", e.serviceName()).add("image_name", e.imageName()).add("layer_id", e.layer())
                    .add("status", e.status()).add("progress", e.progress()).add("progress_detail", detail));
        }
        if (event instanceof OperationEvent.BuildOutput e) {
            JsonObjectBuilder p = JsonText.object().add("operation_id", e.operationId()).add("service_name", e.serviceName())
                    .add("image_name", e.imageName()).add("stream", e.stream()).add("error", e.error());
            if (e.errorDetailJson() == null) {
                p.addNull("error_detail");
            } else {
                p.add("error_detail", JsonText.parse(e.errorDetailJson()));
            }
            return NodeCodec.encode("docker.build.output", p);
        }
        if (event instanceof OperationEvent.Completed e) {
            JsonObjectBuilder p = JsonText.object().add("operation_id", e.operationId()).add("service_id", e.serviceId())
                    .add("service_name", e.serviceName());
            if (e.family() == OperationKind.Family.DOCKER) {
                p.add("image_name", e.imageName());
            } else {
                p.add("executable_path", e.executablePath()).add("commit_hash", e.commitHash());
            }
            p.add("suggested_interfaces", JsonText.parse(e.interfacesJson()))
                    .add("service", JsonText.object().add("id", e.serviceId()).add("name", e.serviceName()).add("status", e.serviceStatus()));
            return NodeCodec.encode(e.family().wire() + ".operation.complete", p);
        }
        OperationEvent.Failed e = (OperationEvent.Failed) event;
        return NodeCodec.encode(e.family().wire() + ".operation.error", JsonText.object()
            .add("operation_id", e.operationId()).add("error", e.error()).add("code", e.code().name()));
    }
}
