package dev.switchboard.bench;

import jakarta.json.JsonObject;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Scenario 5: {@code executions} runs of a five-job diamond (a → b, c → d → e, every edge piped) of {@code /bin/cat},
 * started as fast as the REST API takes them; executions per second from the first start to the last completion,
 * and whether every execution's {@code execution.updated} / {@code job.status.updated} frames all arrived on a
 * {@code node} connection (pending, running, 5 × running + completed, completed = 13).
 */
final class WorkflowScenario {

    private final Bench bench;

    WorkflowScenario(Bench bench) {
        this.bench = bench;
    }

    JsonObject run() throws Exception {
        int executions = bench.option("executions", 200);
        String cat = bench.option("executable", "/bin/cat");
        String tag = "benchwf" + System.nanoTime();
        bench.call("POST", "/api/services", "{\"name\":\"" + tag + "\",\"type\":\"STANDALONE\",\"description\":\"cat\","
                + "\"config\":{\"executable\":\"" + cat + "\"}}");
        long workflow = bench.call("POST", "/api/workflows", "{\"name\":\"" + tag + "\",\"description\":\"diamond\",\"jobs\":["
                + "{\"name\":\"a\",\"service\":\"" + tag + "\",\"input\":\"hello\"},{\"name\":\"b\",\"service\":\"" + tag + "\"},"
                + "{\"name\":\"c\",\"service\":\"" + tag + "\"},{\"name\":\"d\",\"service\":\"" + tag + "\"},"
                + "{\"name\":\"e\",\"service\":\"" + tag + "\"}],\"dependencies\":{\"b\":[{\"job\":\"a\",\"pipe\":true}],"
                + "\"c\":[{\"job\":\"a\",\"pipe\":true}],\"d\":[{\"job\":\"b\",\"pipe\":true},{\"job\":\"c\",\"pipe\":true}],"
                + "\"e\":[{\"job\":\"d\",\"pipe\":true}]}}").getJsonNumber("id").longValue();
        Bench.Socket s = Bench.Socket.open(bench.ws("/api/ws?token=" + bench.token()));
        s.nextContaining("\"connected\"", Duration.ofSeconds(10));

        ExecutorService pool = Executors.newFixedThreadPool(8);
        long t0 = System.nanoTime();
        java.util.List<Future<Long>> started = new java.util.ArrayList<>();
        for (int i = 0; i < executions; i++) {
            started.add(pool.submit(() -> bench.call("POST", "/api/workflows/" + workflow + "/executions", null)
                    .getJsonNumber("execution_id").longValue()));
        }
        java.util.Set<Long> mine = new java.util.HashSet<>();
        for (Future<Long> f : started) {
            mine.add(f.get());
        }
        pool.shutdown();
        double startSeconds = (System.nanoTime() - t0) / 1e9;
        Map<Long, Integer> frames = new HashMap<>();
        int finished = 0;
        int failed = 0;
        while (finished < executions) {
            JsonObject m = Bench.json(s.nextContaining("\"execution_id\"", Duration.ofSeconds(120)));
            String type = m.getString("type");
            if (!type.equals("execution.updated") && !type.equals("job.status.updated")) {
                continue;
            }
            JsonObject p = m.getJsonObject("payload");
            long id = p.getJsonNumber("execution_id").longValue();
            if (!mine.contains(id)) {
                continue;
            }
            frames.merge(id, 1, Integer::sum);
            String status = p.getString("status");
            if (type.equals("execution.updated") && (status.equals("completed") || status.equals("failed") || status.equals("cancelled"))) {
                finished++;
                if (!status.equals("completed")) {
                    failed++;
                }
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        s.close();
        long complete = frames.values().stream().filter(n -> n == 13).count();
        return Bench.result("workflow").add("executions", executions).add("jobsPerExecution", 5)
                .add("seconds", UploadScenario.round(seconds)).add("startSeconds", UploadScenario.round(startSeconds))
                .add("executionsPerSecond", UploadScenario.round(executions / seconds))
                .add("failed", failed).add("executionsWithAll13Events", complete).build();
    }
}
