package dev.switchboard.node.control;

import dev.switchboard.hub.boundary.Hub;
import dev.switchboard.node.entity.NodeStatusSampled;
import dev.switchboard.peers.control.PeerDirectory;
import dev.switchboard.peers.control.RelayRecords;
import dev.switchboard.service.control.ServiceRegistry;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.lang.management.ManagementFactory;

/**
 * Samples this node's status every {@code node.status.interval-seconds} and fires it as a domain event.
 * {@code known_peers} counts what {@code peers.updated} lists; {@code relay_sessions} the reported relay sessions in
 * relay mode (0 otherwise). Not persistent: a missed sample after a restart has no value.
 */
@Singleton
@Startup
@jakarta.ejb.DependsOn("SchemaMigrator")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class NodeStatusTimer {

    @Resource
    TimerService timers;

    @Inject
    NodeIdentity identity;

    @Inject
    Hub hub;

    @Inject
    Event<NodeStatusSampled> sampled;

    @Inject
    ServiceRegistry services;

    @Inject
    PeerDirectory peers;

    @Inject
    RelayRecords relay;

    @Inject
    @ConfigProperty(name = "relay.mode", defaultValue = "false")
    boolean relayMode;

    @Inject
    @ConfigProperty(name = "node.status.interval-seconds", defaultValue = "5")
    long intervalSeconds;

    @PostConstruct
    void schedule() {
        long ms = intervalSeconds * 1000;
        timers.createIntervalTimer(ms, ms, new TimerConfig("node.status", false));
    }

    @Timeout
    void sample() {
        long uptime = ManagementFactory.getRuntimeMXBean().getUptime() / 1000;
        sampled.fireAsync(new NodeStatusSampled(identity.peerId(), identity.dhtNodeId(), uptime,
                peers.count(), hub.connectionCount(), (int) services.count(), 0,
                relayMode ? relay.sessions(true).size() : 0));
    }
}
