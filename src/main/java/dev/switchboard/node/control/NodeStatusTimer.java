package dev.switchboard.node.control;

import dev.switchboard.hub.boundary.Hub;
import dev.switchboard.node.entity.NodeStatusSampled;
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
 * Not persistent: a missed sample after a restart has no value.
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
                0, hub.connectionCount(), (int) services.count(), 0, 0));
    }
}
