package dev.switchboard.it;

import jakarta.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Helpers for the workflow tests: small executables, services that run them, executions followed on the wire. */
final class Workflows {

    private Workflows() {
    }

    /** Writes an executable shell script and returns its absolute path. */
    static String script(Path dir, String name, String body) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file.toAbsolutePath().toString();
    }

    /** Creates a STANDALONE service running {@code executable}; returns its name. */
    static String standalone(AppServer server, String token, String name, String executable) {
        Api.Reply r = Api.call(server, "POST", "/api/services", token, "{\"name\":\"" + name + "\",\"type\":\"STANDALONE\","
                + "\"description\":\"test\",\"config\":{\"executable\":\"" + executable + "\"}}");
        assertEquals(201, r.status(), r.body());
        return name;
    }

    static long workflow(AppServer server, String token, String json) {
        Api.Reply r = Api.call(server, "POST", "/api/workflows", token, json);
        assertEquals(201, r.status(), r.body());
        return r.json().getJsonNumber("id").longValue();
    }

    static long start(AppServer server, String token, long workflowId) {
        Api.Reply r = Api.call(server, "POST", "/api/workflows/" + workflowId + "/executions", token, null);
        assertEquals(201, r.status(), r.body());
        return r.json().getJsonNumber("execution_id").longValue();
    }

    /** Collects every execution.updated / job.status.updated frame of one execution until it ends. */
    static List<JsonObject> follow(WsClient client, long executionId, Duration timeout) {
        List<JsonObject> frames = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonObject m = client.next(f -> {
                String type = f.getString("type", "");
                return (type.equals("execution.updated") || type.equals("job.status.updated"))
                        && f.getJsonObject("payload").getJsonNumber("execution_id").longValue() == executionId;
            }, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            frames.add(m);
            if (m.getString("type").equals("execution.updated")) {
                String status = m.getJsonObject("payload").getString("status");
                if (status.equals("completed") || status.equals("failed") || status.equals("cancelled")) {
                    return frames;
                }
            }
        }
    }

    static JsonObject execution(AppServer server, String token, long executionId) {
        Api.Reply r = Api.call(server, "GET", "/api/executions/" + executionId, token, null);
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    static JsonObject job(JsonObject execution, String name) {
        return execution.getJsonArray("jobs").stream().map(v -> (JsonObject) v)
                .filter(j -> j.getString("job_name").equals(name)).findFirst().orElseThrow();
    }

    /** The statuses a job went through, in frame order. */
    static List<String> statuses(List<JsonObject> frames, String job) {
        return frames.stream().filter(f -> f.getString("type").equals("job.status.updated"))
                .map(f -> f.getJsonObject("payload")).filter(p -> p.getString("job_name").equals(job))
                .map(p -> p.getString("status")).toList();
    }

    /** Position of the first frame where {@code job} reached {@code status}. */
    static int indexOf(List<JsonObject> frames, String job, String status) {
        for (int i = 0; i < frames.size(); i++) {
            JsonObject p = frames.get(i).getJsonObject("payload");
            if (frames.get(i).getString("type").equals("job.status.updated") && p.getString("job_name").equals(job)
                    && p.getString("status").equals(status)) {
                return i;
            }
        }
        return -1;
    }
}
