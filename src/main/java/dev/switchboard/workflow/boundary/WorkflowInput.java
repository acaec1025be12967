package dev.switchboard.workflow.boundary;

import dev.switchboard.common.ApiErrors;
import dev.switchboard.service.control.ServiceRegistry;
import dev.switchboard.service.entity.ServiceView;
import dev.switchboard.workflow.control.WorkflowGraph;
import dev.switchboard.workflow.entity.WorkflowJob;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and validates a workflow: {@code {name, description, jobs: [{name, service, input, config}],
 * dependencies: {job: ["upstream", {"job": "upstream", "pipe": true}]}}}. {@code service} is a service's name or
 * id; a piped dependency feeds the upstream job's STDOUT to this job's STDIN. Faults: 400 naming the field.
 */
final class WorkflowInput {

    record Parsed(String name, String description, List<WorkflowJob> jobs) {
    }

    private static final int MAX_JOBS = 100;

    private WorkflowInput() {
    }

    static Parsed read(JsonValue body, ServiceRegistry services) {
        Map<String, String> faults = new LinkedHashMap<>();
        if (!(body instanceof JsonObject o)) {
            throw ApiErrors.invalid(Map.of("body", "must be a JSON object"));
        }
        String name = o.get("name") instanceof JsonString s ? s.getString().strip() : null;
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
            faults.put("name", "required: letters, digits, '.', '_' and '-', at most 128");
        }
        JsonValue d = o.get("description");
        String description = d instanceof JsonString s ? s.getString() : "";
        if (d != null && d != JsonValue.NULL && !(d instanceof JsonString)) {
            faults.put("description", "must be a string");
        } else if (description.length() > 4000) {
            faults.put("description", "at most 4000 characters");
        }
        if (!(o.get("jobs") instanceof JsonArray jobs) || jobs.isEmpty() || jobs.size() > MAX_JOBS) {
            faults.put("jobs", "an array of 1 to " + MAX_JOBS + " jobs");
            throw ApiErrors.invalid(faults);
        }
        JsonObject dependencies;
        if (o.get("dependencies") == null || o.get("dependencies") == JsonValue.NULL) {
            dependencies = JsonValue.EMPTY_JSON_OBJECT;
        } else if (o.get("dependencies") instanceof JsonObject deps) {
            dependencies = deps;
        } else {
            faults.put("dependencies", "an object {job: [upstream jobs]}");
            throw ApiErrors.invalid(faults);
        }
        Map<String, List<String>> upstream = new LinkedHashMap<>();
        Map<String, List<String>> piped = new LinkedHashMap<>();
        List<Object[]> parsedJobs = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            String at = "jobs[" + i + "]";
            if (!(jobs.get(i) instanceof JsonObject job)) {
                faults.put(at, "must be an object {name, service, input, config}");
                continue;
            }
            String jobName = job.get("name") instanceof JsonString s ? s.getString() : null;
            if (jobName == null || !jobName.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
                faults.put(at + ".name", "required: letters, digits, '.', '_' and '-'");
                continue;
            }
            if (upstream.containsKey(jobName)) {
                faults.put(at + ".name", "duplicate job name '" + jobName + "'");
                continue;
            }
            JsonValue ref = job.get("service");
            Optional<ServiceView> service = ref instanceof JsonString s ? services.findByName(s.getString())
                    : ref instanceof JsonNumber n && n.isIntegral() ? services.find(n.longValue()) : Optional.empty();
            if (service.isEmpty()) {
                faults.put(at + ".service", "unknown service " + job.get("service"));
            }
            JsonValue input = job.getOrDefault("input", JsonValue.NULL);
            String inputText = input instanceof JsonString s ? s.getString() : input == JsonValue.NULL ? "" : input.toString();
            if (inputText.length() > 1_048_576) {
                faults.put(at + ".input", "at most 1 MiB");
            }
            JsonValue config = job.getOrDefault("config", JsonValue.EMPTY_JSON_OBJECT);
            if (!(config instanceof JsonObject)) {
                faults.put(at + ".config", "must be an object");
            }
            upstream.put(jobName, new ArrayList<>());
            piped.put(jobName, new ArrayList<>());
            parsedJobs.add(new Object[] {jobName, service.map(ServiceView::id).orElse(0L), inputText, config.toString()});
        }
        for (var e : dependencies.entrySet()) {
            String at = "dependencies." + e.getKey();
            if (!upstream.containsKey(e.getKey())) {
                faults.put(at, "unknown job '" + e.getKey() + "'");
                continue;
            }
            if (!(e.getValue() instanceof JsonArray list)) {
                faults.put(at, "an array of job names or {job, pipe}");
                continue;
            }
            for (JsonValue v : list) {
                String dep = v instanceof JsonString s ? s.getString()
                        : v instanceof JsonObject obj && obj.get("job") instanceof JsonString s ? s.getString() : null;
                if (dep == null) {
                    faults.put(at, "an array of job names or {job, pipe}");
                    continue;
                }
                upstream.get(e.getKey()).add(dep);
                if (v instanceof JsonObject obj && obj.get("pipe") == JsonValue.TRUE) {
                    piped.get(e.getKey()).add(dep);
                }
            }
        }
        if (faults.isEmpty()) {
            new WorkflowGraph(upstream).fault().ifPresent(f -> faults.put("dependencies", f));
        }
        if (!faults.isEmpty()) {
            throw ApiErrors.invalid(faults);
        }
        List<WorkflowJob> result = new ArrayList<>();
        for (Object[] j : parsedJobs) {
            String jobName = (String) j[0];
            result.add(new WorkflowJob(jobName, (Long) j[1], (String) j[2], (String) j[3], upstream.get(jobName), piped.get(jobName)));
        }
        return new Parsed(name, description, result);
    }
}
