package dev.switchboard.dialect.control;

import dev.switchboard.cluster.control.Relay;
import dev.switchboard.cluster.entity.MemberHeartbeat;
import dev.switchboard.cluster.entity.MemberJoined;
import dev.switchboard.cluster.entity.MemberLeft;
import dev.switchboard.hub.boundary.Hub;
import dev.switchboard.hub.entity.Clearance;
import dev.switchboard.hub.entity.Frame;
import dev.switchboard.ops.entity.SystemFault;
import dev.switchboard.service.entity.ServiceChanged;
import dev.switchboard.workflow.entity.ExecutionChanged;
import dev.switchboard.workflow.entity.JobExecutionChanged;
import dev.switchboard.workflow.entity.JobStatus;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Turns domain events into control events for every connected client: encoded once, only when somebody is
 * connected. Execution and job events are observed synchronously (in the order of their run, never blocking).
 * Job output and fault text reach authenticated connections only: events that carry them are made in two variants,
 * each encoded once, and anonymous connections get the same events without that text.
 * <p>
 * Executions, jobs, services and faults happen on one instance and reach the control clients of every instance
 * (through the cluster relay); {@code agent:*} come from each instance's own view of the membership, so they are
 * pushed to this instance's clients only. A remote member beats every {@code cluster.heartbeat.interval-ms}; its
 * {@code agent:heartbeat} goes out at most once per {@code agent.heartbeat.interval-seconds}, as this instance's own.
 */
@ApplicationScoped
public class ControlPushes {

    @Inject
    Hub hub;

    @Inject
    Relay relay;

    @Inject
    @ConfigProperty(name = "agent.heartbeat.interval-seconds", defaultValue = "30")
    long agentHeartbeatSeconds;

    private final ConcurrentHashMap<String, Long> lastHeartbeatNanos = new ConcurrentHashMap<>();

    private boolean nobody() {
        return hub.connectionCount(ControlEndpoint.DIALECT) == 0;
    }

    /** Nobody here and no other instance to tell. */
    private boolean nobodyAnywhere() {
        return nobody() && relay.alone();
    }

    private void broadcast(Frame frame) {
        hub.broadcast(ControlEndpoint.DIALECT, frame);
    }

    private void broadcastEverywhere(Frame frame) {
        relay.broadcast(ControlEndpoint.DIALECT, frame, false);
    }

    /**
     * One variant for authenticated connections ({@code true}), one for anonymous ones, each made at most once, for
     * every instance's connections.
     */
    private void broadcast(Function<Boolean, List<Frame>> framesFor) {
        @SuppressWarnings("unchecked")
        List<Frame>[] made = new List[2];
        relay.broadcast(ControlEndpoint.DIALECT, clearance -> {
            int reveal = clearance == Clearance.ANONYMOUS ? 0 : 1;
            if (made[reveal] == null) {
                made[reveal] = framesFor.apply(reveal == 1);
            }
            return made[reveal];
        });
    }

    void onExecution(@Observes ExecutionChanged changed) {
        if (!nobodyAnywhere()) {
            broadcast(reveal -> List.of(ControlFrames.execution(changed, reveal)));
        }
    }

    void onJob(@Observes JobExecutionChanged changed) {
        if (nobodyAnywhere() || changed.job().status() == JobStatus.PENDING) {
            return;
        }
        broadcast(reveal -> {
            List<Frame> log = ControlFrames.instanceLog(changed, reveal);
            List<Frame> frames = new ArrayList<>(log.size() + 1);
            frames.add(ControlFrames.jobProgress(changed, reveal));
            frames.addAll(log);
            return frames;
        });
    }

    void onService(@Observes(during = TransactionPhase.AFTER_SUCCESS) ServiceChanged changed) {
        if (!nobodyAnywhere()) {
            ControlFrames.service(changed).forEach(this::broadcastEverywhere);
        }
    }

    void onJoined(@ObservesAsync MemberJoined joined) {
        if (!nobody()) {
            broadcast(ControlFrames.agentRegistered(joined.member(), joined.at()));
        }
    }

    void onHeartbeat(@ObservesAsync MemberHeartbeat heartbeat) {
        if (nobody()) {
            return;
        }
        if (!heartbeat.self()) {
            long now = System.nanoTime();
            Long last = lastHeartbeatNanos.get(heartbeat.member().id());
            if (last != null && now - last < agentHeartbeatSeconds * 1_000_000_000L) {
                return;
            }
            lastHeartbeatNanos.put(heartbeat.member().id(), now);
        }
        broadcast(ControlFrames.agentHeartbeat(heartbeat));
    }

    void onLeft(@Observes MemberLeft left) {
        lastHeartbeatNanos.remove(left.member().id());
        if (!nobody()) {
            broadcast(ControlFrames.agentOffline(left));
        }
    }

    void onFault(@ObservesAsync SystemFault fault) {
        if (!nobodyAnywhere()) {
            broadcast(reveal -> List.of(ControlFrames.systemError(fault, reveal)));
        }
    }
}
