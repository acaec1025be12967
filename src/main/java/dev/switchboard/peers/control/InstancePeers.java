package dev.switchboard.peers.control;

import dev.switchboard.cluster.entity.MemberHealthChanged;
import dev.switchboard.cluster.entity.MemberHeartbeat;
import dev.switchboard.cluster.entity.MemberJoined;
import dev.switchboard.cluster.entity.MemberLeft;
import dev.switchboard.cluster.entity.TopologyChanged;
import dev.switchboard.node.control.NodeIdentity;
import dev.switchboard.peers.entity.PeerCapabilitiesChanged;
import dev.switchboard.peers.entity.PeerView;
import dev.switchboard.peers.entity.PeersChanged;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The other Switchboard instances, learnt only from the cluster's membership events (whichever engine fires them,
 * synchronously or not: both kinds are observed, and one firing reaches only one of the two methods). Events about
 * this instance itself are ignored: a node is not its own peer. Remote members beat every
 * {@code cluster.heartbeat.interval-ms} (the cluster's membership, not the control dialect's slower agent beat), and
 * losses are counted against that interval: every instance of a cluster must use the same one.
 */
@ApplicationScoped
public class InstancePeers {

    private static final Logger LOG = Logger.getLogger(InstancePeers.class.getName());

    @Inject
    NodeIdentity identity;

    @Inject
    Blacklist blacklist;

    @Inject
    Event<PeerCapabilitiesChanged> capabilitiesChanged;

    @Inject
    Event<PeersChanged> changed;

    @Inject
    @ConfigProperty(name = "cluster.heartbeat.interval-ms", defaultValue = "2000")
    long heartbeatMillis;

    @Inject
    @ConfigProperty(name = "peers.instance.expiry-beats", defaultValue = "3")
    long expiryBeats;

    @Inject
    @ConfigProperty(name = "peers.instances.max", defaultValue = "1000")
    int max;

    private InstanceTable table;

    @PostConstruct
    void init() {
        table = new InstanceTable(identity.peerId(), Duration.ofMillis(heartbeatMillis), expiryBeats, max);
    }

    public List<PeerView> live() {
        return table.snapshot(Instant.now());
    }

    public boolean isLive(String peerId) {
        return table.contains(peerId);
    }

    void onJoined(@Observes MemberJoined e) {
        joined(e);
    }

    void onJoinedAsync(@ObservesAsync MemberJoined e) {
        joined(e);
    }

    void onHeartbeat(@Observes MemberHeartbeat e) {
        heartbeat(e);
    }

    void onHeartbeatAsync(@ObservesAsync MemberHeartbeat e) {
        heartbeat(e);
    }

    void onLeft(@Observes MemberLeft e) {
        left(e);
    }

    void onLeftAsync(@ObservesAsync MemberLeft e) {
        left(e);
    }

    void onHealth(@Observes MemberHealthChanged e) {
        table.health(e.member(), e.health());
    }

    void onHealthAsync(@ObservesAsync MemberHealthChanged e) {
        table.health(e.member(), e.health());
    }

    void onTopology(@Observes TopologyChanged e) {
        topology(e);
    }

    void onTopologyAsync(@ObservesAsync TopologyChanged e) {
        topology(e);
    }

    private void joined(MemberJoined e) {
        if (e.self()) {
            return;
        }
        boolean isNew = !table.contains(e.member().id());
        refuseWhenFull(e.member().id());
        announce(table.joined(e.member(), e.at(), Instant.now()));
        if (isNew && table.contains(e.member().id())) {
            LOG.info(() -> "peers.instance.joined peer_id=" + e.member().id());
            changed.fire(new PeersChanged(false));
        }
    }

    private void heartbeat(MemberHeartbeat e) {
        boolean isNew = e.member() != null && !table.contains(e.member().id());
        refuseWhenFull(e.member() == null ? null : e.member().id());
        announce(table.heartbeat(e.member(), e.at(), Instant.now()));
        if (isNew && e.member() != null && table.contains(e.member().id())) {
            changed.fire(new PeersChanged(false));
        }
    }

    private void left(MemberLeft e) {
        if (!e.self() && table.left(e.member())) {
            LOG.info(() -> "peers.instance.left peer_id=" + e.member().id() + " reason=" + e.reason());
            changed.fire(new PeersChanged(false));
        }
    }

    private void topology(TopologyChanged e) {
        var before = table.ids();
        table.topology(e.members(), e.at(), Instant.now()).forEach(c -> announce(Optional.of(c)));
        if (!table.ids().equals(before)) {
            changed.fire(new PeersChanged(false));
        }
    }

    private void refuseWhenFull(String peerId) {
        if (peerId != null && !peerId.equals(identity.peerId()) && table.full(peerId)) {
            LOG.warning(() -> "peers.instance.ignored peer_id=" + peerId + " reason=peers.instances.max=" + max);
        }
    }

    private void announce(Optional<InstanceTable.CapabilityChange> change) {
        change.filter(c -> !blacklist.isBlocked(c.peerId())).ifPresent(c -> capabilitiesChanged.fire(
                new PeerCapabilitiesChanged(c.peerId(), c.capabilities(), c.previous(), true, Instant.now())));
    }
}
