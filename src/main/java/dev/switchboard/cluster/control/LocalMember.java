package dev.switchboard.cluster.control;

import dev.switchboard.cluster.entity.Member;
import dev.switchboard.cluster.entity.MemberHeartbeat;
import dev.switchboard.cluster.entity.MemberJoined;
import dev.switchboard.cluster.entity.MemberLeft;
import dev.switchboard.hub.boundary.Hub;
import dev.switchboard.node.control.NodeIdentity;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
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
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * This instance as a member of the deployment: announced when it starts, a heartbeat every
 * {@code agent.heartbeat.interval-seconds}, a goodbye when it shuts down cleanly. Other members' events come from
 * {@link Membership}; the dialects treat both alike. The timer is not persistent: a missed beat has no value.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class LocalMember {

    @Resource
    TimerService timers;

    @Inject
    NodeIdentity identity;

    @Inject
    Hub hub;

    @Inject
    Event<MemberJoined> joined;

    @Inject
    Event<MemberLeft> left;

    @Inject
    Event<MemberHeartbeat> heartbeat;

    @Inject
    @ConfigProperty(name = "agent.heartbeat.interval-seconds", defaultValue = "30")
    long intervalSeconds;

    @Inject
    @ConfigProperty(name = "switchboard.advertised-address")
    Optional<String> advertisedAddress;

    @Inject
    @ConfigProperty(name = "switchboard.advertised-port", defaultValue = "8080")
    int advertisedPort;

    private Member self;

    @PostConstruct
    void announce() {
        self = new Member(identity.peerId(), identity.name(), advertisedAddress.orElseGet(LocalMember::localAddress),
                advertisedPort, List.of("websocket", "workflows", "storage"),
                Optional.ofNullable(LocalMember.class.getPackage().getImplementationVersion()).orElse("dev"));
        joined.fireAsync(new MemberJoined(self, true, Instant.now()));
        long ms = intervalSeconds * 1000;
        timers.createIntervalTimer(ms, ms, new TimerConfig("agent.heartbeat", false));
    }

    @Timeout
    void beat() {
        heartbeat.fireAsync(figures());
    }

    /** This instance as a member. */
    public Member member() {
        return self;
    }

    /** This instance's figures now, as its own heartbeat. */
    public MemberHeartbeat figures() {
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return new MemberHeartbeat(self, ManagementFactory.getRuntimeMXBean().getUptime() / 1000,
                hub.connectionCount(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                heap.getUsed(), heap.getMax(), Instant.now());
    }

    /** Synchronous, so that the goodbye is queued for the clients before their sockets go. */
    @PreDestroy
    void goodbye() {
        left.fire(new MemberLeft(self, true, "shutdown", Instant.now()));
    }

    private static String localAddress() {
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (UnknownHostException e) {
            return "127.0.0.1";
        }
    }
}
