package dev.switchboard.dialect.node;

import dev.switchboard.hub.boundary.Hub;
import dev.switchboard.hub.entity.Clearance;
import dev.switchboard.hub.control.Connection;
import dev.switchboard.hub.entity.Frame;
import dev.switchboard.node.entity.NodeStatusSampled;
import dev.switchboard.peers.entity.BlacklistPublished;
import dev.switchboard.peers.entity.PeerCapabilitiesChanged;
import dev.switchboard.peers.entity.PeersPublished;
import dev.switchboard.peers.entity.RelayCandidatesPublished;
import dev.switchboard.peers.entity.RelaySessionsPublished;
import dev.switchboard.operation.entity.OperationEvent;
import dev.switchboard.service.entity.ServicesPublished;
import dev.switchboard.workflow.entity.ExecutionChanged;
import dev.switchboard.workflow.entity.JobExecutionChanged;
import dev.switchboard.workflow.entity.WorkflowsPublished;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;

/** Turns domain events into node frames: encoded once, fanned out by the hub. */
@ApplicationScoped
public class NodePushes {

    @Inject
    Hub hub;

    @Inject
    dev.switchboard.cluster.control.Relay relay;

    /** Two variants at most, each encoded once: the config in full for writers, with secrets masked for the rest. */
    void onServices(@ObservesAsync ServicesPublished published) {
        hub.broadcast(NodeEndpoint.DIALECT, clearance -> java.util.List.of(
                NodeFrames.servicesUpdated(published.services(), clearance == Clearance.PRIVILEGED)));
    }

    void onWorkflows(@ObservesAsync WorkflowsPublished published) {
        hub.broadcast(NodeEndpoint.DIALECT, NodeFrames.workflowsUpdated(published.workflows()));
    }

    /** Synchronous, so the frames of one execution are queued in the order its changes happened; never blocks. */
    void onExecution(@Observes ExecutionChanged changed) {
        relay.broadcast(NodeEndpoint.DIALECT, NodeFrames.executionUpdated(changed.execution()), false);
    }

    void onJob(@Observes JobExecutionChanged changed) {
        relay.broadcast(NodeEndpoint.DIALECT, NodeFrames.jobStatusUpdated(changed.job()), false);
    }

    void onPeers(@ObservesAsync PeersPublished published) {
        hub.broadcast(NodeEndpoint.DIALECT, NodeFrames.peersUpdated(published.peers()));
    }

    void onBlacklist(@ObservesAsync BlacklistPublished published) {
        hub.broadcast(NodeEndpoint.DIALECT, NodeFrames.blacklistUpdated(published.entries()));
    }

    void onRelaySessions(@ObservesAsync RelaySessionsPublished published) {
        hub.broadcast(NodeEndpoint.DIALECT, NodeFrames.relaySessions(published.sessions(), published.at()));
    }

    void onRelayCandidates(@ObservesAsync RelayCandidatesPublished published) {
        hub.broadcast(NodeEndpoint.DIALECT, NodeFrames.relayCandidates(published.candidates()));
    }

    /** After the write's commit when it came from one (REST), at once otherwise (a membership event); never blocks. */
    void onCapabilities(@Observes(during = TransactionPhase.AFTER_SUCCESS) PeerCapabilitiesChanged changed) {
        hub.broadcast(NodeEndpoint.DIALECT, NodeFrames.peerCapabilitiesUpdated(changed));
    }

    void onNodeStatus(@ObservesAsync NodeStatusSampled status) {
        hub.broadcast(NodeEndpoint.DIALECT, NodeFrames.nodeStatus(status));
    }

    /**
     * Operation frames, synchronous so that one operation's frames are queued in the order its events happened
     * (never blocks: encode once, enqueue). They go to the node connections of users allowed to see services:
     * every signed-in user, as for {@code GET /api/services} (a node connection without a user gets none).
     */
    void onOperation(@Observes OperationEvent event) {
        Frame frame = NodeFrames.operation(event);
        for (Connection c : hub.connections(NodeEndpoint.DIALECT)) {
            if (c.user() != null) {
                hub.send(c, frame);
            }
        }
        // the other instances' node connections: every one has a verified user (the endpoint requires a token)
        relay.broadcastElsewhere(NodeEndpoint.DIALECT, frame);
    }
}
