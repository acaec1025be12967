package dev.switchboard.dialect.control;

import dev.switchboard.cluster.entity.MemberHeartbeat;
import dev.switchboard.cluster.entity.MemberJoined;
import dev.switchboard.cluster.entity.MemberLeft;
import dev.switchboard.hub.boundary.Hub;
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

/**
 * Turns domain events into control events for every connected client: encoded once, only when somebody is
 * connected. Execution and job events are observed synchronously (in the order of their run, never blocking).
 */
@ApplicationScoped
public class ControlPushes {

    @Inject
    Hub hub;

    private boolean nobody() {
        return hub.connectionCount(ControlEndpoint.DIALECT) == 0;
    }

    private void broadcast(Frame frame) {
        hub.broadcast(ControlEndpoint.DIALECT, frame);
    }

    void onExecution(@Observes ExecutionChanged changed) {
        if (!nobody()) {
            broadcast(ControlFrames.execution(changed));
        }
    }

    void onJob(@Observes JobExecutionChanged changed) {
        if (nobody() || changed.job().status() == JobStatus.PENDING) {
            return;
        }
        broadcast(ControlFrames.jobProgress(changed));
        ControlFrames.instanceLog(changed).forEach(this::broadcast);
    }

    void onService(@Observes(during = TransactionPhase.AFTER_SUCCESS) ServiceChanged changed) {
        if (!nobody()) {
            ControlFrames.service(changed).forEach(this::broadcast);
        }
    }

    void onJoined(@ObservesAsync MemberJoined joined) {
        if (!nobody()) {
            broadcast(ControlFrames.agentRegistered(joined.member(), joined.at()));
        }
    }

    void onHeartbeat(@ObservesAsync MemberHeartbeat heartbeat) {
        if (!nobody()) {
            broadcast(ControlFrames.agentHeartbeat(heartbeat));
        }
    }

    void onLeft(@Observes MemberLeft left) {
        if (!nobody()) {
            broadcast(ControlFrames.agentOffline(left));
        }
    }

    void onFault(@ObservesAsync SystemFault fault) {
        if (!nobody()) {
            broadcast(ControlFrames.systemError(fault));
        }
    }
}
