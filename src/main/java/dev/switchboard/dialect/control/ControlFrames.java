package dev.switchboard.dialect.control;

import dev.switchboard.cluster.entity.Member;
import dev.switchboard.cluster.entity.MemberHeartbeat;
import dev.switchboard.cluster.entity.MemberLeft;
import dev.switchboard.common.JsonText;
import dev.switchboard.common.WireTime;
import dev.switchboard.hub.entity.Frame;
import dev.switchboard.ops.entity.SystemFault;
import dev.switchboard.service.entity.ServiceChanged;
import dev.switchboard.service.entity.ServiceView;
import dev.switchboard.workflow.entity.ExecutionChanged;
import dev.switchboard.workflow.entity.ExecutionView;
import dev.switchboard.workflow.entity.JobExecutionChanged;
import dev.switchboard.workflow.entity.JobExecutionView;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The control dialect's events, one factory per event of spec/control.md. Statuses are upper case as in the spec. */
final class ControlFrames {

    /** Lines of one job's output that become {@code instance:log} entries; the rest is summarised in one more entry. */
    static final int MAX_LOG_LINES = 200;
    private static final int MAX_LOG_LINE = 2000;
    /** What an anonymous connection gets instead of error text (job:failed's error, system:error's message). */
    static final String WITHHELD = "Details withheld: connect with a token to see them";

    private ControlFrames() {
    }

    private static String upper(Enum<?> e) {
        return e.name().toUpperCase(Locale.ROOT);
    }

    private static String at(Instant instant) {
        return WireTime.iso(instant == null ? Instant.now() : instant);
    }

    private static JsonObjectBuilder run(ExecutionView e) {
        return JsonText.object()
                .add("jobId", ControlCodec.workflow(e.workflowId()))
                .add("jobRunId", ControlCodec.execution(e.id()));
    }

    static int percent(int finished, int total) {
        return total == 0 ? 0 : finished * 100 / total;
    }

    /**
     * What one execution change is on the wire: created, progress (started), completed, failed or cancelled.
     * @param reveal whether the receivers are authenticated: only they get a failure's error text
     */
    static Frame execution(ExecutionChanged changed, boolean reveal) {
        ExecutionView e = changed.execution();
        JsonObjectBuilder data = run(e).add("workflowId", e.workflowId()).add("executionId", e.id());
        switch (e.status()) {
            case PENDING -> {
                return ControlCodec.encode("job:created", data.add("name", changed.workflowName())
                        .add("status", upper(e.status())).add("totalSteps", changed.totalJobs())
                        .add("createdAt", WireTime.now()));
            }
            case RUNNING -> {
                return ControlCodec.encode("job:progress", data.add("status", upper(e.status()))
                        .add("percent", percent(changed.finishedJobs(), changed.totalJobs()))
                        .add("message", "Started " + changed.workflowName())
                        .add("timestamp", WireTime.now()));
            }
            case COMPLETED -> {
                return ControlCodec.encode("job:completed", data.add("result", result(changed))
                        .add("completedAt", at(e.completedAt())));
            }
            case FAILED -> {
                return ControlCodec.encode("job:failed", data.add("status", upper(e.status()))
                        .add("error", reveal ? e.error() : WITHHELD).add("result", result(changed))
                        .add("failedAt", at(e.completedAt())));
            }
            default -> {
                return ControlCodec.encode("job:cancelled", data.add("status", upper(e.status()))
                        .add("cancelledAt", at(e.completedAt())));
            }
        }
    }

    /** An execution's outcome: each job's status and exit code, and the share that finished. */
    private static JsonObjectBuilder result(ExecutionChanged changed) {
        JsonArrayBuilder jobs = JsonText.array();
        for (JobExecutionView j : changed.jobs()) {
            JsonObjectBuilder job = JsonText.object().add("name", j.jobName()).add("status", upper(j.status()));
            if (j.exitCode() != null) {
                job.add("exitCode", j.exitCode());
            }
            jobs.add(job);
        }
        return JsonText.object().add("workflow", changed.workflowName())
                .add("finishedSteps", changed.finishedJobs()).add("totalSteps", changed.totalJobs()).add("jobs", jobs);
    }

    /** A job of the run started or ended: the run's progress and what happened (a failure's error only when {@code reveal}). */
    static Frame jobProgress(JobExecutionChanged changed, boolean reveal) {
        JobExecutionView j = changed.job();
        String message = switch (j.status()) {
            case PENDING -> "Waiting: " + j.jobName();
            case RUNNING -> "Running " + j.jobName();
            case COMPLETED -> "Completed " + j.jobName();
            case FAILED -> "Failed " + j.jobName() + (j.error().isEmpty() || !reveal ? "" : ": " + j.error());
            case SKIPPED -> "Skipped " + j.jobName();
        };
        return ControlCodec.encode("job:progress", JsonText.object()
                .add("jobId", ControlCodec.workflow(changed.workflowId()))
                .add("jobRunId", ControlCodec.execution(j.executionId()))
                .add("status", "RUNNING")
                .add("percent", percent(changed.finishedJobs(), changed.totalJobs()))
                .add("message", message)
                .add("step", j.jobName())
                .add("stepStatus", upper(j.status()))
                .add("timestamp", WireTime.now()));
    }

    /**
     * A finished job's captured output (and error), line by line, as log entries of the service instance it ran.
     * Without {@code reveal} (anonymous receivers) no line of it: one entry says that there was output, and where.
     */
    static List<Frame> instanceLog(JobExecutionChanged changed, boolean reveal) {
        JobExecutionView j = changed.job();
        List<Frame> frames = new ArrayList<>();
        if (!j.status().terminal() || changed.serviceId() == 0) {
            return frames;
        }
        String instance = ControlCodec.service(changed.serviceId());
        String run = ControlCodec.execution(j.executionId());
        String now = WireTime.now();
        String output = j.output() == null ? "" : j.output();
        boolean failedWithText = j.error() != null && !j.error().isEmpty();
        if (!reveal) {
            if (!output.isEmpty() || failedWithText) {
                frames.add(log(instance, changed.serviceId(), run, j.jobName(), "info", "Output withheld: connect with a "
                        + "token to see it, or GET /api/executions/" + j.executionId(), now));
            }
            return frames;
        }
        String[] lines = output.isEmpty() ? new String[0] : output.split("\r?\n");
        int shown = Math.min(lines.length, MAX_LOG_LINES);
        for (int i = 0; i < shown; i++) {
            frames.add(log(instance, changed.serviceId(), run, j.jobName(), "info", clip(lines[i]), now));
        }
        if (lines.length > shown) {
            frames.add(log(instance, changed.serviceId(), run, j.jobName(), "info",
                    "(" + (lines.length - shown) + " more lines in GET /api/executions/" + j.executionId() + ")", now));
        }
        if (j.error() != null && !j.error().isEmpty()) {
            frames.add(log(instance, changed.serviceId(), run, j.jobName(), "error", clip(j.error()), now));
        }
        return frames;
    }

    private static Frame log(String instance, long serviceId, String run, String step, String level, String message, String at) {
        return ControlCodec.encode("instance:log", JsonText.object()
                .add("instanceId", instance).add("serviceId", serviceId).add("jobRunId", run).add("step", step)
                .add("level", level).add("message", message).add("timestamp", at));
    }

    private static String clip(String line) {
        return line.length() <= MAX_LOG_LINE ? line : line.substring(0, MAX_LOG_LINE) + "...";
    }

    private static JsonObjectBuilder instance(ServiceView s) {
        return JsonText.object().add("instanceId", ControlCodec.service(s.id())).add("serviceId", s.id())
                .add("name", s.name()).add("type", s.type().name()).add("status", upper(s.status()));
    }

    /** A service change: created, updated (plus status_changed when its status moved), or deleted. */
    static List<Frame> service(ServiceChanged changed) {
        ServiceView s = changed.service();
        List<Frame> frames = new ArrayList<>(2);
        switch (changed.kind()) {
            case CREATED -> frames.add(ControlCodec.encode("instance:created", instance(s).add("createdAt", at(s.createdAt()))));
            case DELETED -> frames.add(ControlCodec.encode("instance:deleted", JsonText.object()
                    .add("instanceId", ControlCodec.service(s.id())).add("serviceId", s.id()).add("name", s.name())
                    .add("deletedAt", WireTime.now())));
            default -> {
                frames.add(ControlCodec.encode("instance:updated", instance(s).add("updatedAt", at(s.updatedAt()))));
                if (changed.previousStatus() != null && changed.previousStatus() != s.status()) {
                    frames.add(ControlCodec.encode("instance:status_changed", JsonText.object()
                            .add("instanceId", ControlCodec.service(s.id())).add("serviceId", s.id())
                            .add("status", upper(s.status())).add("previousStatus", upper(changed.previousStatus()))
                            .add("changedAt", at(s.updatedAt()))));
                }
            }
        }
        return frames;
    }

    static Frame agentRegistered(Member m, Instant at) {
        JsonArrayBuilder capabilities = JsonText.array();
        m.capabilities().forEach(capabilities::add);
        return ControlCodec.encode("agent:registered", JsonText.object().add("agentId", m.id()).add("name", m.name())
                .add("address", m.address()).add("port", m.port()).add("capabilities", capabilities)
                .add("version", m.version()).add("registeredAt", WireTime.iso(at)));
    }

    static Frame agentHeartbeat(MemberHeartbeat h) {
        return ControlCodec.encode("agent:heartbeat", JsonText.object().add("agentId", h.member().id())
                .add("status", "ONLINE").add("uptimeSeconds", h.uptimeSeconds()).add("connections", h.connections())
                .add("systemLoadAverage", Math.round(h.systemLoadAverage() * 100) / 100.0)
                .add("heapUsed", h.heapUsed()).add("heapMax", h.heapMax()).add("timestamp", WireTime.iso(h.at())));
    }

    static Frame agentOffline(MemberLeft left) {
        return ControlCodec.encode("agent:offline", JsonText.object().add("agentId", left.member().id())
                .add("reason", left.reason()).add("offlineAt", WireTime.iso(left.at())));
    }

    /** A server fault; its message (which may quote an exception) only when {@code reveal}, its incident id always. */
    static Frame systemError(SystemFault fault, boolean reveal) {
        return ControlCodec.encode("system:error", JsonText.object().add("errorId", fault.incident())
                .add("source", fault.source()).add("message", reveal ? fault.message() : WITHHELD)
                .add("timestamp", WireTime.iso(fault.at())));
    }
}
