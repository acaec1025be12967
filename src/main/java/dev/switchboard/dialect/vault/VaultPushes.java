package dev.switchboard.dialect.vault;

import dev.switchboard.cluster.control.Relay;
import dev.switchboard.cluster.entity.MemberHealthChanged;
import dev.switchboard.cluster.entity.MemberJoined;
import dev.switchboard.cluster.entity.MemberLeft;
import dev.switchboard.cluster.entity.TopologyChanged;
import dev.switchboard.hub.boundary.Hub;
import dev.switchboard.hub.entity.Frame;
import dev.switchboard.node.control.NodeIdentity;
import dev.switchboard.ops.entity.MetricsSampled;
import dev.switchboard.ops.entity.ThresholdCrossed;
import dev.switchboard.upload.entity.FileDeleted;
import dev.switchboard.upload.entity.FileReplicated;
import dev.switchboard.upload.entity.UploadCompleted;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;

import java.util.function.Supplier;

/**
 * Turns domain events into vault frames on their topics: encoded once, only when somebody is subscribed,
 * and fanned out by the hub. Peer events are about other members; this instance's own start and stop are
 * the control dialect's {@code agent:*}.
 */
@ApplicationScoped
public class VaultPushes {

    @Inject
    Hub hub;

    @Inject
    NodeIdentity identity;

    @Inject
    VaultStats stats;

    @Inject
    Relay relay;

    /** About this instance (metrics) or seen by every instance for itself (members): this instance's subscribers. */
    private void publish(String topic, Supplier<Frame> frame) {
        if (hub.holders(VaultEndpoint.DIALECT, topic) == 0) {
            return;
        }
        stats.messagesOut.add(hub.publish(VaultEndpoint.DIALECT, topic, frame.get()));
    }

    /** A domain event that happened here: to the subscribers of every instance, once each. */
    private void publishEverywhere(String topic, Supplier<Frame> frame) {
        if (hub.holders(VaultEndpoint.DIALECT, topic) == 0 && relay.alone()) {
            return;
        }
        relay.publish(VaultEndpoint.DIALECT, topic, frame.get(), false).thenAccept(stats.messagesOut::add);
    }

    /** After the upload's transaction committed: a rolled-back completion announces nothing. */
    void onUpload(@Observes(during = TransactionPhase.AFTER_SUCCESS) UploadCompleted done) {
        publishEverywhere(VaultCodec.FILE_OPERATIONS, () -> VaultFrames.fileUploaded(done, identity.peerId()));
    }

    void onDelete(@Observes FileDeleted deleted) {
        publishEverywhere(VaultCodec.FILE_OPERATIONS, () -> VaultFrames.fileDeleted(deleted, identity.peerId()));
    }

    void onReplicated(@ObservesAsync FileReplicated replicated) {
        publishEverywhere(VaultCodec.FILE_OPERATIONS, () -> VaultFrames.fileReplicated(replicated, identity.peerId()));
    }

    void onJoined(@ObservesAsync MemberJoined joined) {
        if (!joined.self()) {
            publish(VaultCodec.PEER_NETWORK, () -> VaultFrames.peerConnected(joined.member(), joined.at()));
        }
    }

    void onLeft(@Observes MemberLeft left) {
        if (!left.self()) {
            publish(VaultCodec.PEER_NETWORK, () -> VaultFrames.peerDisconnected(left));
        }
    }

    void onHealth(@ObservesAsync MemberHealthChanged health) {
        publish(VaultCodec.PEER_NETWORK, () -> VaultFrames.peerHealthChanged(health));
    }

    void onTopology(@ObservesAsync TopologyChanged topology) {
        publish(VaultCodec.PEER_NETWORK, () -> VaultFrames.topologyChanged(topology));
    }

    void onMetrics(@ObservesAsync MetricsSampled sample) {
        publish(VaultCodec.SYSTEM, () -> VaultFrames.systemMetrics(sample));
        publish(VaultCodec.SYSTEM, () -> VaultFrames.storageMetrics(sample));
        publish(VaultCodec.SYSTEM, () -> VaultFrames.networkMetrics(sample));
        publish(VaultCodec.SYSTEM, () -> VaultFrames.performanceMetrics(sample));
    }

    void onAlert(@ObservesAsync ThresholdCrossed crossed) {
        publishEverywhere(VaultCodec.ALERTS, () -> VaultFrames.alert(crossed));
    }
}
