package dev.switchboard.workflow.boundary;

import dev.switchboard.common.JsonText;
import dev.switchboard.workflow.entity.ExecutionView;
import dev.switchboard.workflow.entity.JobDefinition;
import dev.switchboard.workflow.entity.JobExecutionView;
import dev.switchboard.workflow.entity.WorkflowView;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import java.io.StringReader;
import java.time.Instant;
import java.util.List;

/** REST representations of workflows and executions (snake_case, ISO-8601 times as in spec/node.md). */
final class WorkflowJson {

    private WorkflowJson() {
    }

    static JsonObject workflow(WorkflowView w) {
        JsonArrayBuilder jobs = JsonText.array();
        JsonObjectBuilder dependencies = JsonText.object();
        for (JobDefinition j : w.jobs()) {
            jobs.add(JsonText.object().add("id", j.id()).add("name", j.name()).add("service_id", j.serviceId())
                    .add("input", j.input()).add("config", Json.createReader(new StringReader(j.configJson())).readObject()));
            if (!j.dependsOn().isEmpty()) {
                JsonArrayBuilder deps = JsonText.array();
                for (String d : j.dependsOn()) {
                    if (j.pipedFrom().contains(d)) {
                        deps.add(JsonText.object().add("job", d).add("pipe", true));
                    } else {
                        deps.add(d);
                    }
                }
                dependencies.add(j.name(), deps);
            }
        }
        return JsonText.object().add("id", w.id()).add("name", w.name()).add("description", w.description())
                .add("status", w.status()).add("job_count", w.jobs().size()).add("jobs", jobs).add("dependencies", dependencies)
                .add("created_at", w.createdAt().getEpochSecond()).add("updated_at", w.updatedAt().getEpochSecond()).build();
    }

    static JsonObject execution(ExecutionView e, List<JobExecutionView> jobs) {
        JsonObjectBuilder b = JsonText.object().add("execution_id", e.id()).add("workflow_id", e.workflowId())
                .add("status", e.status().wire()).add("error", e.error());
        time(b, "started_at", e.startedAt());
        time(b, "completed_at", e.completedAt());
        if (jobs != null) {
            JsonArrayBuilder list = JsonText.array();
            for (JobExecutionView j : jobs) {
                JsonObjectBuilder jb = JsonText.object().add("job_execution_id", j.id())
                        .add("workflow_job_id", j.workflowJobId()).add("job_name", j.jobName()).add("status", j.status().wire())
                        .add("error", j.error()).add("output", j.output());
                if (j.exitCode() == null) {
                    jb.addNull("exit_code");
                } else {
                    jb.add("exit_code", j.exitCode());
                }
                time(jb, "started_at", j.startedAt());
                time(jb, "completed_at", j.completedAt());
                list.add(jb);
            }
            b.add("jobs", list);
        }
        return b.build();
    }

    private static void time(JsonObjectBuilder b, String key, Instant t) {
        if (t == null) {
            b.addNull(key);
        } else {
            b.add(key, t.toString());
        }
    }
}
