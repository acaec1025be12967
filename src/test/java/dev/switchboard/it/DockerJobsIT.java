package dev.switchboard.it;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.switchboard.it.Workflows.statuses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DOCKER services' jobs on the wire: a server of its own whose {@code DOCKER_HOST} is a {@link FakeDockerEngine}
 * (no Docker Engine can run where these tests run), workflows started over REST and followed on {@code /api/ws}.
 */
class DockerJobsIT {

    private static FakeDockerEngine engine;
    private static int enginePort;
    private static AppServer server;
    private static String admin;
    private static String tag;
    private static Path bin;

    @BeforeAll
    static void setUp() throws Exception {
        engine = FakeDockerEngine.start();
        enginePort = engine.port();
        server = AppServer.create("docker", Map.of("DOCKER_HOST", engine.dockerHost(),
                "WORKFLOW_DOCKER_STOP_GRACE_SECONDS", "1"));
        server.start();
        admin = Api.adminToken(server);
        tag = "dk" + System.nanoTime();
        bin = Path.of(System.getProperty("it.work", "target/it")).resolve("bin-" + tag).toAbsolutePath();
        Workflows.standalone(server, admin, tag + "-cat", Workflows.script(bin, "cat", "cat"));
    }

    @AfterAll
    static void tearDown() {
        if (server != null) {
            server.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    /** Creates a DOCKER service of {@code image} with {@code extraConfig} (JSON members, may be empty). */
    private static String docker(String name, String image, String extraConfig) {
        Api.Reply r = Api.call(server, "POST", "/api/services", admin, "{\"name\":\"" + name + "\",\"type\":\"DOCKER\","
                + "\"description\":\"container\",\"config\":{\"image\":\"" + image + "\"" + extraConfig + "}}");
        assertEquals(201, r.status(), r.body());
        return name;
    }

    private static List<JsonObject> run(long workflow, Duration timeout) {
        try (WsClient c = WsClient.connect(server.ws("/api/ws?token=" + admin))) {
            c.nextOfType("connected", Duration.ofSeconds(10));
            long execution = Workflows.start(server, admin, workflow);
            return Workflows.follow(c, execution, timeout);
        }
    }

    private static long executionOf(List<JsonObject> frames) {
        return frames.get(0).getJsonObject("payload").getJsonNumber("execution_id").longValue();
    }

    private static String status(List<JsonObject> frames) {
        return frames.get(frames.size() - 1).getJsonObject("payload").getString("status");
    }

    private static FakeDockerEngine.Container containerOf(long execution, String job) {
        List<FakeDockerEngine.Container> found = engine.containers(Map.of("switchboard.execution", String.valueOf(execution),
                "switchboard.job", job));
        assertEquals(1, found.size(), "one container for " + execution + "/" + job + "\n" + engine);
        return found.get(0);
    }

    private static void assertStoppedAndRemoved(FakeDockerEngine.Container c) {
        assertFalse(engine.calls("POST", "/containers/" + c.id + "/stop").isEmpty(), "stopped\n" + engine);
        assertFalse(engine.calls("DELETE", "/containers/" + c.id).isEmpty(), "removed\n" + engine);
        assertTrue(engine.isRemoved(c.id));
        assertFalse(c.running());
    }

    @Test
    void aContainerUppercasesItsPipedInputAndItsOutputFlowsDownstream() {
        String image = "it/upper-" + tag;
        docker(tag + "-upper", image, ",\"command\":[\"tr\",\"a-z\",\"A-Z\"],\"env\":{\"MODE\":\"loud; rm -rf /\"},"
                + "\"working_dir\":\"/work\",\"capabilities\":[\"text\"]");
        long workflow = Workflows.workflow(server, admin, "{\"name\":\"" + tag + "-pipe\",\"jobs\":["
                + "{\"name\":\"a\",\"service\":\"" + tag + "-cat\",\"input\":\"hello docker\\n\"},"
                + "{\"name\":\"b\",\"service\":\"" + tag + "-upper\"},"
                + "{\"name\":\"c\",\"service\":\"" + tag + "-cat\"}],"
                + "\"dependencies\":{\"b\":[{\"job\":\"a\",\"pipe\":true}],\"c\":[{\"job\":\"b\",\"pipe\":true}]}}");
        List<JsonObject> frames = run(workflow, Duration.ofSeconds(60));
        assertEquals("completed", status(frames), frames.toString());
        assertEquals(List.of("running", "completed"), statuses(frames, "b"));
        long execution = executionOf(frames);
        JsonObject done = Workflows.execution(server, admin, execution);
        assertEquals("HELLO DOCKER\n", Workflows.job(done, "b").getString("output"), "STDOUT only: STDERR frames stay out");
        assertEquals(0, Workflows.job(done, "b").getInt("exit_code"));
        assertEquals("HELLO DOCKER\n", Workflows.job(done, "c").getString("output"), "the container's STDOUT flows downstream");

        FakeDockerEngine.Container c = containerOf(execution, "b");
        assertEquals("hello docker\n", new String(c.stdin(), java.nio.charset.StandardCharsets.UTF_8), "a's output on its STDIN");
        JsonObject create = c.createBody;
        assertEquals(image, create.getString("Image"));
        assertEquals(List.of("tr", "a-z", "A-Z"), create.getJsonArray("Cmd").getValuesAs(JsonString::getString));
        assertEquals(List.of("MODE=loud; rm -rf /"), create.getJsonArray("Env").getValuesAs(JsonString::getString),
                "passed as data, never through a shell");
        assertEquals("/work", create.getString("WorkingDir"));
        assertEquals(JsonValue.TRUE, create.get("OpenStdin"));
        assertEquals(JsonValue.TRUE, create.get("StdinOnce"));
        assertEquals(JsonValue.FALSE, create.get("Tty"));
        JsonObject hostConfig = create.get("HostConfig") instanceof JsonObject h ? h : JsonValue.EMPTY_JSON_OBJECT;
        assertTrue(hostConfig.get("Binds") == null || hostConfig.get("Binds") == JsonValue.NULL, "no host mounts: " + hostConfig);
        assertFalse(hostConfig.get("Privileged") == JsonValue.TRUE, "never privileged: " + hostConfig);
        List<FakeDockerEngine.Call> attach = engine.calls("POST", "/containers/" + c.id + "/attach");
        assertEquals(1, attach.size(), engine.toString());
        for (String stream : List.of("stdin", "stdout", "stderr", "stream")) {
            assertTrue(List.of("1", "true").contains(attach.get(0).query().get(stream)), stream + " in " + attach);
        }
        List<String> order = engine.calls().stream().filter(x -> x.path().startsWith("/containers/" + c.id))
                .map(x -> x.method() + " " + x.path().substring(("/containers/" + c.id).length())).toList();
        assertEquals(List.of("POST /attach", "POST /start", "POST /wait", "DELETE "), order,
                "attached before it starts, removed at the end");
        assertTrue(engine.isRemoved(c.id), "removed after it exited\n" + engine);
        assertEquals(1, engine.calls("POST", "/images/create").stream()
                .filter(x -> x.query().getOrDefault("fromImage", "").equals(image)).count(), "the missing image was pulled\n" + engine);
        assertEquals("latest", engine.calls("POST", "/images/create").stream()
                .filter(x -> x.query().getOrDefault("fromImage", "").equals(image)).findFirst().orElseThrow().query().get("tag"),
                "an untagged image means :latest, never every tag");

        List<JsonObject> again = run(workflow, Duration.ofSeconds(60));
        assertEquals("completed", status(again));
        assertEquals(1, engine.calls("POST", "/images/create").stream()
                .filter(x -> x.query().getOrDefault("fromImage", "").equals(image)).count(), "present now: not pulled again");
    }

    @Test
    void aFailingContainerFailsTheJobWithItsStderrAndSkipsDownstream() {
        docker(tag + "-fail", "it/fail-" + tag + ":1.0", "");
        long workflow = Workflows.workflow(server, admin, "{\"name\":\"" + tag + "-failing\",\"jobs\":["
                + "{\"name\":\"x\",\"service\":\"" + tag + "-fail\",\"input\":\"anything\"},"
                + "{\"name\":\"y\",\"service\":\"" + tag + "-cat\"}],\"dependencies\":{\"y\":[{\"job\":\"x\",\"pipe\":true}]}}");
        List<JsonObject> frames = run(workflow, Duration.ofSeconds(60));
        assertEquals("failed", status(frames));
        assertEquals(List.of("running", "failed"), statuses(frames, "x"));
        assertEquals(List.of("skipped"), statuses(frames, "y"));
        long execution = executionOf(frames);
        JsonObject x = Workflows.job(Workflows.execution(server, admin, execution), "x");
        assertEquals(3, x.getInt("exit_code"));
        assertTrue(x.getString("error").contains("Exit code 3") && x.getString("error").contains("boom"), x.toString());
        assertEquals("1.0", engine.calls("POST", "/images/create").stream()
                .filter(c -> c.query().getOrDefault("fromImage", "").equals("it/fail-" + tag)).findFirst().orElseThrow()
                .query().get("tag"), "the tag travels apart from the repository");
        assertTrue(engine.isRemoved(containerOf(execution, "x").id), "removed after it failed");
    }

    @Test
    void aContainerPastItsTimeoutIsStoppedAndRemoved() {
        docker(tag + "-slow", "it/sleep-" + tag, "");
        long workflow = Workflows.workflow(server, admin, "{\"name\":\"" + tag + "-timeout\",\"jobs\":["
                + "{\"name\":\"slow\",\"service\":\"" + tag + "-slow\",\"config\":{\"timeout_seconds\":2}}]}");
        List<JsonObject> frames = run(workflow, Duration.ofSeconds(60));
        assertEquals("failed", status(frames));
        long execution = executionOf(frames);
        JsonObject slow = Workflows.job(Workflows.execution(server, admin, execution), "slow");
        assertTrue(slow.getString("error").contains("Timed out after 2 s"), slow.toString());
        assertStoppedAndRemoved(containerOf(execution, "slow"));
    }

    @Test
    void cancelStopsAndRemovesTheRunningContainer() {
        docker(tag + "-long", "it/sleep-long-" + tag, "");
        long workflow = Workflows.workflow(server, admin, "{\"name\":\"" + tag + "-cancel\",\"jobs\":["
                + "{\"name\":\"long\",\"service\":\"" + tag + "-long\"},"
                + "{\"name\":\"after\",\"service\":\"" + tag + "-cat\"}],\"dependencies\":{\"after\":[\"long\"]}}");
        try (WsClient c = WsClient.connect(server.ws("/api/ws?token=" + admin))) {
            c.nextOfType("connected", Duration.ofSeconds(10));
            long execution = Workflows.start(server, admin, workflow);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (engine.containers(Map.of("switchboard.execution", String.valueOf(execution))).stream()
                    .noneMatch(FakeDockerEngine.Container::running)) {
                assertTrue(System.nanoTime() < deadline, "the container started\n" + engine);
                AppServer.sleep(100);
            }
            Api.Reply cancel = Api.call(server, "POST", "/api/executions/" + execution + "/cancel", admin, null);
            assertEquals(202, cancel.status(), cancel.body());
            List<JsonObject> frames = Workflows.follow(c, execution, Duration.ofSeconds(30));
            assertEquals("cancelled", status(frames));
            assertEquals(List.of("running", "failed"), statuses(frames, "long"));
            assertEquals(List.of("skipped"), statuses(frames, "after"));
            assertStoppedAndRemoved(containerOf(execution, "long"));
        }
    }

    @Test
    void anImageThatCannotBePulledFailsTheJobSayingSo() {
        docker(tag + "-ghost", "nosuch/ghost-" + tag, "");
        long workflow = Workflows.workflow(server, admin, "{\"name\":\"" + tag + "-ghost\",\"jobs\":["
                + "{\"name\":\"g\",\"service\":\"" + tag + "-ghost\"}]}");
        List<JsonObject> frames = run(workflow, Duration.ofSeconds(60));
        assertEquals("failed", status(frames));
        String error = Workflows.job(Workflows.execution(server, admin, executionOf(frames)), "g").getString("error");
        assertTrue(error.contains("Cannot pull image nosuch/ghost-" + tag) && error.contains("pull access denied"), error);
        assertTrue(engine.containers(Map.of("switchboard.execution", String.valueOf(executionOf(frames)))).isEmpty(),
                "no container was created");
    }

    @Test
    void anUnreachableEngineFailsTheJobNamingTheHost() {
        docker(tag + "-away", "it/upper-away-" + tag, "");
        long workflow = Workflows.workflow(server, admin, "{\"name\":\"" + tag + "-away\",\"jobs\":["
                + "{\"name\":\"u\",\"service\":\"" + tag + "-away\",\"input\":\"x\"}]}");
        engine.close();
        try {
            List<JsonObject> frames = run(workflow, Duration.ofSeconds(60));
            assertEquals("failed", status(frames));
            String error = Workflows.job(Workflows.execution(server, admin, executionOf(frames)), "u").getString("error");
            assertTrue(error.contains("Docker Engine at tcp://127.0.0.1:" + enginePort + " is not reachable"), error);
            assertTrue(error.toLowerCase(java.util.Locale.ROOT).contains("refused"), error);
        } finally {
            // the same port again, so the other tests (in whatever order they run) still have their Engine
            engine = FakeDockerEngine.start(enginePort);
        }
    }

    @Test
    void invalidDockerConfigsAre400NamingTheField() {
        Map<String, String> cases = Map.of(
                "{}", "config.image",
                "{\"image\":\"\"}", "config.image",
                "{\"image\":\"a b\"}", "config.image",
                "{\"image\":\"alpine\",\"command\":\"echo hi\"}", "config.command",
                "{\"image\":\"alpine\",\"command\":[\"echo\",1]}", "config.command",
                "{\"image\":\"alpine\",\"entrypoint\":{}}", "config.entrypoint",
                "{\"image\":\"alpine\",\"env\":[\"A=1\"]}", "config.env",
                "{\"image\":\"alpine\",\"env\":{\"A\":1}}", "config.env.A",
                "{\"image\":\"alpine\",\"env\":{\"A=B\":\"1\"}}", "config.env",
                "{\"image\":\"alpine\",\"working_dir\":\"relative\"}", "config.working_dir");
        int n = 0;
        for (var e : cases.entrySet()) {
            Api.Reply r = Api.call(server, "POST", "/api/services", admin, "{\"name\":\"" + tag + "-bad" + (n++)
                    + "\",\"type\":\"DOCKER\",\"config\":" + e.getKey() + "}");
            assertEquals(400, r.status(), e.getKey() + " → " + r.body());
            assertTrue(r.json().getJsonObject("fields").containsKey(e.getValue()), e.getValue() + " in " + r.body());
        }
        Api.Reply user = Api.call(server, "POST", "/api/services", admin, "{\"name\":\"" + tag + "-user\",\"type\":\"DOCKER\","
                + "\"config\":{\"image\":\"alpine:3.20\",\"user\":\"1000:1000\",\"entrypoint\":[\"/bin/tool\"]}}");
        assertEquals(201, user.status(), user.body());
    }
}
