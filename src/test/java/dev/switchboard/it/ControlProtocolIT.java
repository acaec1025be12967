package dev.switchboard.it;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** spec/control.md on the wire: the push-only {@code {event, data}} stream from services, workflows and this agent. */
class ControlProtocolIT {

    private static final Duration T = Duration.ofSeconds(20);
    private static final Pattern ISO_MILLIS = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    private static AppServer server;
    private static String admin;
    private static String tag;
    private static Path bin;

    @BeforeAll
    static void setUp() throws Exception {
        server = SharedServer.get();
        admin = Api.adminToken(server);
        tag = "ctl" + System.nanoTime();
        bin = Path.of(System.getProperty("it.work", "target/it")).resolve("bin-" + tag).toAbsolutePath();
        Workflows.standalone(server, admin, tag + "-say", Workflows.script(bin, "say", "echo first line; echo second line; cat"));
        Workflows.standalone(server, admin, tag + "-fail", Workflows.script(bin, "fail", "echo boom >&2; exit 3"));
    }

    /** Connected and registered: the spec has no welcome frame, so the first heartbeat (every second here) proves it. */
    static WsClient connect() {
        return connect("/control/ws");
    }

    /** With a token: job output and error text come only to authenticated connections. */
    static WsClient connectWithToken() {
        return connect("/control/ws?token=" + admin);
    }

    private static WsClient connect(String path) {
        WsClient c = WsClient.connect(server.ws(path));
        c.next(event("agent:heartbeat"), T);
        return c;
    }

    static Predicate<JsonObject> event(String name) {
        return m -> name.equals(m.getString("event", null));
    }

    static Predicate<JsonObject> event(String name, String key, String value) {
        return m -> name.equals(m.getString("event", null)) && value.equals(m.getJsonObject("data").getString(key, null));
    }

    static String uuid(String kind, long id) {
        return UUID.nameUUIDFromBytes(("switchboard:" + kind + ":" + id).getBytes(StandardCharsets.UTF_8)).toString();
    }

    @Test
    void serviceChangesAreInstanceEventsWithUuidIdsAndMillisecondTimestamps() {
        try (WsClient c = connect()) {
            String name = tag + "-svc";
            Api.Reply created = Api.call(server, "POST", "/api/services", admin,
                    "{\"name\":\"" + name + "\",\"type\":\"DATA\",\"description\":\"d\",\"status\":\"ACTIVE\"}");
            assertEquals(201, created.status(), created.body());
            long id = created.json().getJsonNumber("id").longValue();
            String instance = uuid("service", id);
            JsonObject c1 = c.next(event("instance:created", "instanceId", instance), T).getJsonObject("data");
            assertEquals(name, c1.getString("name"));
            assertEquals("ACTIVE", c1.getString("status"));
            assertTrue(ISO_MILLIS.matcher(c1.getString("createdAt")).matches(), c1.toString());

            Api.Reply put = Api.call(server, "PUT", "/api/services/" + id, admin,
                    "{\"name\":\"" + name + "\",\"type\":\"DATA\",\"description\":\"d2\",\"status\":\"INACTIVE\"}");
            assertEquals(200, put.status(), put.body());
            c.next(event("instance:updated", "instanceId", instance), T);
            JsonObject changed = c.next(event("instance:status_changed", "instanceId", instance), T).getJsonObject("data");
            assertEquals("INACTIVE", changed.getString("status"));
            assertEquals("ACTIVE", changed.getString("previousStatus"));
            assertTrue(ISO_MILLIS.matcher(changed.getString("changedAt")).matches());

            assertEquals(204, Api.call(server, "DELETE", "/api/services/" + id, admin, null).status());
            c.next(event("instance:deleted", "instanceId", instance), T);
        }
    }

    @Test
    void anExecutionIsJobCreatedProgressCompletedOnControlAndExecutionUpdatedOnNodeForTheSameRun() {
        long workflow = Workflows.workflow(server, admin, "{\"name\":\"" + tag + "-ok\",\"jobs\":["
                + "{\"name\":\"one\",\"service\":\"" + tag + "-say\",\"input\":\"piped\"},"
                + "{\"name\":\"two\",\"service\":\"" + tag + "-say\"}],\"dependencies\":{\"two\":[{\"job\":\"one\",\"pipe\":true}]}}");
        try (WsClient c = connect(); WsClient node = WsClient.connect(server.ws("/api/ws?token=" + admin))) {
            node.nextOfType("connected", T);
            long execution = Workflows.start(server, admin, workflow);
            String run = uuid("execution", execution);
            List<JsonObject> events = new ArrayList<>();
            while (true) {
                JsonObject m = c.next(x -> x.getString("event", "").startsWith("job:")
                        && run.equals(x.getJsonObject("data").getString("jobRunId")), T);
                events.add(m);
                if (!m.getString("event").equals("job:progress") && !m.getString("event").equals("job:created")) {
                    break;
                }
            }
            assertEquals("job:created", events.get(0).getString("event"));
            JsonObject last = events.get(events.size() - 1);
            assertEquals("job:completed", last.getString("event"), events.toString());
            JsonObject done = last.getJsonObject("data");
            assertEquals(uuid("workflow", workflow), done.getString("jobId"));
            assertTrue(ISO_MILLIS.matcher(done.getString("completedAt")).matches());
            assertEquals(2, done.getJsonObject("result").getInt("finishedSteps"));
            int previous = -1;
            for (JsonObject e : events.subList(1, events.size() - 1)) {
                JsonObject d = e.getJsonObject("data");
                assertEquals("RUNNING", d.getString("status"));
                assertFalse(d.getString("message").isEmpty());
                assertTrue(d.getInt("percent") >= previous && d.getInt("percent") <= 100, events.toString());
                previous = d.getInt("percent");
                assertTrue(ISO_MILLIS.matcher(d.getString("timestamp")).matches());
            }
            assertEquals(100, previous, "the last progress is the last job finishing");

            List<JsonObject> nodeFrames = Workflows.follow(node, execution, T);
            assertEquals("completed", nodeFrames.get(nodeFrames.size() - 1).getJsonObject("payload").getString("status"));
        }
    }

    @Test
    void aJobsOutputArrivesAsInstanceLogLinesOfItsService() {
        long workflow = Workflows.workflow(server, admin, "{\"name\":\"" + tag + "-log\",\"jobs\":["
                + "{\"name\":\"speak\",\"service\":\"" + tag + "-say\",\"input\":\"third line\"}]}");
        try (WsClient c = connectWithToken()) {
            long execution = Workflows.start(server, admin, workflow);
            String run = uuid("execution", execution);
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                JsonObject d = c.next(event("instance:log", "jobRunId", run), T).getJsonObject("data");
                assertEquals("info", d.getString("level"));
                assertFalse(d.getString("instanceId").isEmpty());
                lines.add(d.getString("message"));
            }
            assertEquals(List.of("first line", "second line", "third line"), lines);
        }
    }

    @Test
    void aFailingRunEndsWithJobFailed() {
        long workflow = Workflows.workflow(server, admin, "{\"name\":\"" + tag + "-bad\",\"jobs\":["
                + "{\"name\":\"boom\",\"service\":\"" + tag + "-fail\"}]}");
        try (WsClient c = connectWithToken()) {
            long execution = Workflows.start(server, admin, workflow);
            JsonObject failed = c.next(event("job:failed", "jobRunId", uuid("execution", execution)), T).getJsonObject("data");
            assertTrue(failed.getString("error").contains("boom"), failed.toString());
            assertTrue(ISO_MILLIS.matcher(failed.getString("failedAt")).matches());
        }
    }

    /**
     * Issue 12, item 3: an anonymous connection gets the spec's events for a failing run with output, but no line of
     * the output and no error text; an authenticated one, connected at the same time, gets both.
     */
    @Test
    void anAnonymousConnectionGetsJobEventsWithoutOutputOrErrorText() {
        String secret = "s3cr3t-" + System.nanoTime();
        long workflow = Workflows.workflow(server, admin, "{\"name\":\"" + tag + "-anon\",\"jobs\":["
                + "{\"name\":\"talk\",\"service\":\"" + tag + "-say\",\"input\":\"" + secret + "\"},"
                + "{\"name\":\"detonate\",\"service\":\"" + tag + "-fail\"}],\"dependencies\":{\"detonate\":[\"talk\"]}}");
        try (WsClient anonymous = connect(); WsClient signedIn = connectWithToken()) {
            long execution = Workflows.start(server, admin, workflow);
            String run = uuid("execution", execution);
            String toSignedIn = untilFailed(signedIn, run).toString();
            assertTrue(toSignedIn.contains(secret), "output lines: " + toSignedIn);
            assertTrue(toSignedIn.contains("boom"), "error text: " + toSignedIn);
            assertTrue(toSignedIn.contains("Failed jobs: detonate"), toSignedIn);

            List<JsonObject> seen = untilFailed(anonymous, run);
            JsonObject last = seen.get(seen.size() - 1);
            String all = seen.toString();
            assertFalse(all.contains(secret), "no output line: " + all);
            assertFalse(all.contains("boom"), "no error text (the failing script's stderr): " + all);
            assertTrue(seen.stream().anyMatch(m -> m.getString("event").equals("job:created")), all);
            assertTrue(seen.stream().anyMatch(m -> m.getString("event").equals("job:progress")
                    && "FAILED".equals(m.getJsonObject("data").getString("stepStatus", ""))), all);
            assertTrue(seen.stream().anyMatch(m -> m.getString("event").equals("instance:log")
                    && m.getJsonObject("data").getString("message").contains("withheld")), all);
            assertTrue(last.getJsonObject("data").getString("error").contains("withheld"), "job:failed keeps its fields");
            assertEquals("FAILED", last.getJsonObject("data").getString("status"));
        }
    }

    /** A run's events on one connection, up to and including its job:failed. */
    private static List<JsonObject> untilFailed(WsClient c, String run) {
        List<JsonObject> seen = new ArrayList<>();
        JsonObject last;
        do {
            last = c.next(m -> run.equals(m.getJsonObject("data").getString("jobRunId", null)), T);
            seen.add(last);
        } while (!"job:failed".equals(last.getString("event")));
        return seen;
    }

    @Test
    void thisInstanceSendsAgentHeartbeatsWithItsPeerId() {
        try (WsClient c = connect(); WsClient node = WsClient.connect(server.ws("/api/ws?token=" + admin))) {
            String peerId = node.nextOfType("connected", T).getJsonObject("payload").getString("peer_id");
            JsonObject beat = c.next(event("agent:heartbeat"), T).getJsonObject("data");
            assertEquals(peerId, beat.getString("agentId"));
            assertEquals("ONLINE", beat.getString("status"));
            assertTrue(beat.getInt("connections") >= 2);
            Instant.parse(beat.getString("timestamp"));
        }
    }

    @Test
    void whateverAClientSendsIsIgnoredAndTheStreamGoesOn() {
        try (WsClient c = connect()) {
            c.send("{not json");
            c.send("{\"event\":\"job:created\",\"data\":{}}");
            c.send("[]");
            c.sendBinary(new byte[] {0, 1, 2});
            c.send("x".repeat(60_000)); // under control.max-message-bytes (FrameGuardIT: over it)
            for (int i = 0; i < 500; i++) {
                c.send("{\"flood\":" + i + "}");
            }
            c.next(event("agent:heartbeat"), T);
            assertFalse(c.isClosed());
            c.next(event("agent:heartbeat"), T);
        }
    }
}
