package dev.switchboard.it;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Workflow executions in a cluster of three real instances sharing PostgreSQL and Redis (a prefix of this run's
 * own), with a short execution lease (5 s, swept every 500 ms): an execution runs on the instance that started it and
 * only there, even when it lasts longer than the lease; a cancel on another instance stops it; and after a
 * {@code kill -9} of its owner in the middle, exactly one of the others takes it over once the lease expired, without
 * running the completed jobs again, and completes it. Which instance ran a job is told by the job itself: each job
 * writes its name and its parent process (the server's JVM) to a log file.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterExecutionsIT {

    private static final Duration T = Duration.ofSeconds(60);
    static final long LEASE_TTL_MS = 5000;
    static final long TAKEOVER_INTERVAL_MS = 500;

    private Cluster cluster;
    private AppServer a;
    private AppServer b;
    private AppServer c;
    private String admin;
    private Path bin;
    private String tag;

    @BeforeAll
    void startCluster() throws Exception {
        cluster = Cluster.start("cexec", 3, Map.of(
                "WORKFLOW_EXECUTION_LEASE_TTL_MS", String.valueOf(LEASE_TTL_MS),
                "WORKFLOW_EXECUTION_TAKEOVER_INTERVAL_MS", String.valueOf(TAKEOVER_INTERVAL_MS)));
        a = cluster.get(0);
        b = cluster.get(1);
        c = cluster.get(2);
        admin = Api.adminToken(a);
        tag = "cx" + System.nanoTime();
        bin = Path.of(System.getProperty("it.work", "target/it")).resolve("bin-" + tag).toAbsolutePath();
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /**
     * A STANDALONE service whose job logs "{@code name} {@code parent pid}" to {@code log}, sleeps, and prints its
     * STDIN followed by its name (so piped jobs build up "start s1 s2 ...").
     */
    private String step(String name, Path log, double sleepSeconds) throws IOException {
        String script = Workflows.script(bin, tag + "-" + name, "in=$(cat); echo \"" + name + " $PPID\" >> \"" + log
                + "\"; sleep " + sleepSeconds + "; printf '%s %s' \"$in\" \"" + name + "\"");
        return Workflows.standalone(a, admin, tag + "-" + name + "-" + log.getFileName(), script);
    }

    /** A chain of piped jobs s1 → s2 → … on services made by {@link #step}. */
    private long chain(String name, Path log, int jobs, double sleepSeconds) throws IOException {
        StringBuilder json = new StringBuilder("{\"name\":\"" + tag + "-" + name + "\",\"jobs\":[");
        StringBuilder deps = new StringBuilder("\"dependencies\":{");
        for (int i = 1; i <= jobs; i++) {
            String service = step("s" + i, log, sleepSeconds);
            json.append(i > 1 ? "," : "").append("{\"name\":\"s").append(i).append("\",\"service\":\"").append(service)
                    .append('"').append(i == 1 ? ",\"input\":\"start\"" : "").append('}');
            if (i > 1) {
                deps.append(i > 2 ? "," : "").append("\"s").append(i).append("\":[{\"job\":\"s").append(i - 1).append("\",\"pipe\":true}]");
            }
        }
        json.append("],").append(deps).append("}}");
        return Workflows.workflow(a, admin, json.toString());
    }

    /** The log's lines as (job, parent pid). */
    private static List<String[]> runs(Path log) throws IOException {
        if (!Files.exists(log)) {
            return List.of();
        }
        return Files.readAllLines(log).stream().filter(l -> !l.isBlank()).map(l -> l.split(" ")).toList();
    }

    private static long count(List<String[]> runs, String job) {
        return runs.stream().filter(r -> r[0].equals(job)).count();
    }

    private static Set<String> parents(List<String[]> runs) {
        return Set.copyOf(runs.stream().map(r -> r[1]).toList());
    }

    private static boolean execution(JsonObject frame, long executionId) {
        JsonObject data = frame.getJsonObject("data");
        return data != null && data.containsKey("executionId") && data.getJsonNumber("executionId").longValue() == executionId;
    }

    private static WsClient control(AppServer s) {
        return WsClient.connect(s.ws("/control/ws"));
    }

    @Test
    @Order(1)
    void anExecutionStartedOnOneInstanceRunsThereOnlyAndItsEventsReachTheOthers() throws Exception {
        Path log = bin.resolve("only-a.log");
        // 3 × 2 s: longer than the lease, so it is renewed while it runs and the others never take it
        long workflow = chain("only-a", log, 3, 2);
        try (WsClient nodeOnB = WsClient.connect(b.ws("/api/ws?token=" + admin)); WsClient controlOnC = control(c)) {
            nodeOnB.nextOfType("connected", T);
            long execution = Workflows.start(a, admin, workflow);
            List<JsonObject> frames = Workflows.follow(nodeOnB, execution, T);
            assertEquals("completed", frames.get(frames.size() - 1).getJsonObject("payload").getString("status"), frames.toString());
            for (String job : List.of("s1", "s2", "s3")) {
                assertEquals(List.of("running", "completed"), Workflows.statuses(frames, job), job + " on node/B: " + frames);
            }
            JsonObject done = controlOnC.next(m -> "job:completed".equals(m.getString("event", null)) && execution(m, execution), T);
            assertEquals(3, done.getJsonObject("data").getJsonObject("result").getInt("finishedSteps"), done.toString());

            List<String[]> runs = runs(log);
            for (String job : List.of("s1", "s2", "s3")) {
                assertEquals(1, count(runs, job), job + " ran once: " + Files.readString(log));
            }
            assertEquals(Set.of(String.valueOf(a.pid())), parents(runs), "every job ran on A (pid " + a.pid() + "), B is "
                    + b.pid() + ", C is " + c.pid() + ": " + Files.readString(log));
            JsonObject rest = Workflows.execution(c, admin, execution);
            assertEquals("start s1 s2 s3", Workflows.job(rest, "s3").getString("output"), rest.toString());
        }
    }

    @Test
    @Order(2)
    void aCancelOnAnotherInstanceStopsTheExecutionWhereItRuns() throws Exception {
        Path log = bin.resolve("cancel.log");
        String script = Workflows.script(bin, tag + "-long", "echo \"long $PPID\" >> \"" + log + "\"; sleep 60; echo \"long-end $PPID\" >> \"" + log + "\"");
        String service = Workflows.standalone(a, admin, tag + "-long", script);
        long workflow = Workflows.workflow(a, admin, "{\"name\":\"" + tag + "-cancel\",\"jobs\":[{\"name\":\"long\",\"service\":\"" + service + "\"}]}");
        try (WsClient nodeOnC = WsClient.connect(c.ws("/api/ws?token=" + admin))) {
            nodeOnC.nextOfType("connected", T);
            long execution = Workflows.start(a, admin, workflow);
            long deadline = System.nanoTime() + T.toNanos();
            while (runs(log).isEmpty()) {
                assertTrue(System.nanoTime() < deadline, "the long job started");
                AppServer.sleep(50);
            }
            Api.Reply cancel = Api.call(b, "POST", "/api/executions/" + execution + "/cancel", admin, null);
            assertEquals(202, cancel.status(), cancel.body());
            // within 20 s, while the job would sleep for 60: the owner stopped its process
            List<JsonObject> frames = Workflows.follow(nodeOnC, execution, Duration.ofSeconds(20));
            assertEquals("cancelled", frames.get(frames.size() - 1).getJsonObject("payload").getString("status"), frames.toString());
            JsonObject rest = Workflows.execution(b, admin, execution);
            assertEquals("failed", Workflows.job(rest, "long").getString("status"), rest.toString());
            assertEquals("Cancelled", Workflows.job(rest, "long").getString("error"), rest.toString());
            assertEquals(List.of("long " + a.pid()), Files.readAllLines(log), "ran on A only, and was stopped there");
        }
    }

    @Test
    @Order(3)
    void anExecutionWhoseInstanceIsKilledIsTakenOverOnceWithoutRerunningCompletedJobs() throws Exception {
        Path log = bin.resolve("takeover.log");
        long workflow = chain("takeover", log, 4, 2);
        long pidA = a.pid();
        try (WsClient nodeOnB = WsClient.connect(b.ws("/api/ws?token=" + admin)); WsClient controlOnC = control(c)) {
            nodeOnB.nextOfType("connected", T);
            long execution = Workflows.start(a, admin, workflow);
            long deadline = System.nanoTime() + T.toNanos();
            while (count(runs(log), "s3") == 0) {
                assertTrue(System.nanoTime() < deadline, "s3 started on A");
                AppServer.sleep(20);
            }
            // s1 and s2 completed on A, s3 is running there
            long killed = System.nanoTime();
            a.kill();

            JsonObject interrupted = nodeOnB.next(m -> "job.status.updated".equals(m.getString("type", null))
                    && m.getJsonObject("payload").getJsonNumber("execution_id").longValue() == execution
                    && "s3".equals(m.getJsonObject("payload").getString("job_name"))
                    && "pending".equals(m.getJsonObject("payload").getString("status")), T);
            long takenOverMs = (System.nanoTime() - killed) / 1_000_000;
            List<JsonObject> after = Workflows.follow(nodeOnB, execution, T);
            long completedMs = (System.nanoTime() - killed) / 1_000_000;
            assertEquals("completed", after.get(after.size() - 1).getJsonObject("payload").getString("status"), after.toString());
            assertEquals(List.of("running", "completed"), Workflows.statuses(after, "s3"), after.toString());
            assertEquals(List.of("running", "completed"), Workflows.statuses(after, "s4"), after.toString());
            assertEquals(List.of(), Workflows.statuses(after, "s1"), "s1 not run again: " + after);
            assertEquals(List.of(), Workflows.statuses(after, "s2"), "s2 not run again: " + after);
            assertTrue(interrupted.getJsonObject("payload").toString().contains("Interrupted"), interrupted.toString());

            JsonObject done = controlOnC.next(m -> "job:completed".equals(m.getString("event", null)) && execution(m, execution), T);
            assertEquals(4, done.getJsonObject("data").getJsonObject("result").getInt("finishedSteps"), done.toString());

            List<String[]> runs = runs(log);
            String text = Files.readString(log);
            assertEquals(1, count(runs, "s1"), "s1 completed before the kill and did not run again: " + text);
            assertEquals(1, count(runs, "s2"), "s2 completed before the kill and did not run again: " + text);
            assertEquals(2, count(runs, "s3"), "s3 was interrupted and ran again: " + text);
            assertEquals(1, count(runs, "s4"), text);
            assertEquals(String.valueOf(pidA), runs.get(0)[1], text);
            assertEquals(String.valueOf(pidA), runs.get(1)[1], text);
            assertEquals(String.valueOf(pidA), runs.get(2)[1], text);
            // the rest ran on exactly one of the survivors
            String taker = runs.get(3)[1];
            assertEquals(taker, runs.get(4)[1], text);
            assertNotEquals(String.valueOf(pidA), taker, text);
            assertTrue(Set.of(String.valueOf(b.pid()), String.valueOf(c.pid())).contains(taker), "taken over by B (" + b.pid()
                    + ") or C (" + c.pid() + "): " + text);

            JsonObject rest = Workflows.execution(b, admin, execution);
            assertEquals("completed", rest.getString("status"), rest.toString());
            for (String job : List.of("s1", "s2", "s3", "s4")) {
                assertEquals("completed", Workflows.job(rest, job).getString("status"), job);
            }
            // s3 ran where s2's output file is not: its STDIN came from s2's output stored in the database
            assertEquals("start s1 s2 s3 s4", Workflows.job(rest, "s4").getString("output"), rest.toString());
            AppServer takerServer = taker.equals(String.valueOf(b.pid())) ? b : c;
            assertFalse(takerServer.log().contains("workflow.execution.lease.lost"), "no lease was lost on the taker");
            System.out.println("cluster.execution.takeover kill-9 -> taken over (s3 running again, on "
                    + (takerServer == b ? "b" : "c") + ") after " + takenOverMs + " ms, completed after " + completedMs
                    + " ms (lease ttl " + LEASE_TTL_MS + " ms, renewed every " + LEASE_TTL_MS / 3 + " ms, sweep every "
                    + TAKEOVER_INTERVAL_MS + " ms: bound " + (LEASE_TTL_MS + TAKEOVER_INTERVAL_MS) + " ms plus the launch)");
        }
    }
}
