package dev.switchboard.it;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Docker and standalone operations on the wire (spec/node.md messages 16–25): started over REST, every frame
 * followed on a real {@code /api/ws} connection. The git repositories are real bare repositories made here with
 * JGit; the builders are the real gcc/make and cargo of this machine. Docker goes to a {@link FakeDockerEngine},
 * a stand-in for the Engine API (no Docker Engine can run where these tests run), fed the Engine's real
 * {@code /images/create} progress stream and {@code /build} stream formats.
 *
 * <p>A server of its own, not the shared one: it needs the stand-in Engine (whose port the unreachable-Engine test
 * closes and opens again), {@code ops.concurrency=1} (so that a second operation has to wait) and a restart at the
 * end (an operation cut off by it ends {@code INTERRUPTED}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperationsIT {

    private static final Duration T = Duration.ofSeconds(120);
    private static FakeDockerEngine engine;
    private static int enginePort;
    private static AppServer server;
    private static String admin;
    private static String tag;
    private static Path repos;
    private static String cRepo;
    private static String cTagCommit;

    @BeforeAll
    static void setUp() throws Exception {
        engine = FakeDockerEngine.start();
        enginePort = engine.port();
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + System.getProperty("user.home") + "/.cargo/bin"
                + File.pathSeparator + "/usr/local/bin:/usr/bin:/bin";
        server = AppServer.create("operations", Map.of(
                "DOCKER_HOST", engine.dockerHost(),
                "OPS_CONCURRENCY", "1",
                "OPS_BUILD_PATH", path,
                "OPS_LOG_MAX_CHARS", "8192",
                "OPS_STREAM_PULL_INTERVAL_MS", "0",
                "OPS_VALIDATE_TIMEOUT_SECONDS", "10",
                "OPS_TIMEOUT_SECONDS", "300"));
        server.start();
        admin = Api.adminToken(server);
        tag = "op" + System.nanoTime();
        repos = Path.of(System.getProperty("it.work", "target/it")).resolve("repos-" + tag).toAbsolutePath();
        cRepo = repo("c-tool", Map.of(
                "main.c", "#include <stdio.h>\n#include <ctype.h>\nint main(void) {\n  int c;\n"
                        + "  while ((c = getchar()) != EOF) putchar(toupper(c));\n  return 0;\n}\n",
                "Makefile", "tool: main.c\n\tcc -O2 -o tool main.c\n",
                "README", "an upper-caser\n"), Set.of(), "v1");
        try (Git git = Git.open(repos.resolve("c-tool.work").toFile())) {
            cTagCommit = git.getRepository().resolve("v1^{commit}").name();
            // a later commit on main: the tag must still be what is built
            Files.writeString(repos.resolve("c-tool.work/README"), "changed after v1\n");
            git.add().addFilepattern(".").call();
            git.commit().setMessage("after v1").setAuthor("it", "it@example.org").setCommitter("it", "it@example.org").call();
            git.push().setRemote(repos.resolve("c-tool.git").toUri().toString()).add("main").call();
        }
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

    /** A bare repository of this class's with one commit of {@code files} (and {@code tagName} on it); returns its file: URL. */
    static String repo(String name, Map<String, String> files, Set<String> executables, String tagName) throws Exception {
        return GitRepos.bare(repos, name, files, executables, tagName);
    }

    private static String start(String token, String kind, String json) {
        Api.Reply r = Api.call(server, "POST", "/api/operations/" + kind, token, json);
        assertEquals(202, r.status(), r.body());
        assertTrue(r.json().getString("status").equals("queued") || r.json().getString("status").equals("running")
                || r.json().getString("status").equals("error"), r.body());
        return r.json().getString("operation_id");
    }

    private static JsonObject operation(String id) {
        Api.Reply r = Api.call(server, "GET", "/api/operations/" + id, admin, null);
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    /** Frame types, progress frames as {@code progress:<step>} with consecutive repeats folded. */
    private static List<String> shape(List<JsonObject> frames) {
        List<String> out = new ArrayList<>();
        for (JsonObject f : frames) {
            String type = f.getString("type");
            String s = type.endsWith(".operation.progress") ? "progress:" + f.getJsonObject("payload").getString("step")
                    : type.substring(type.indexOf('.') + 1);
            if (out.isEmpty() || !out.get(out.size() - 1).equals(s)) {
                out.add(s);
            }
        }
        return out;
    }

    private static JsonObject last(List<JsonObject> frames) {
        return frames.get(frames.size() - 1).getJsonObject("payload");
    }

    private static void assertPercentagesGrow(List<JsonObject> frames) {
        double previous = -1;
        for (JsonObject f : frames) {
            if (f.getString("type").endsWith(".operation.progress")) {
                double p = f.getJsonObject("payload").getJsonNumber("percentage").doubleValue();
                assertTrue(p >= previous && p <= 100, "percentages never go back: " + frames);
                previous = p;
            }
        }
    }

    private static String streamOf(List<JsonObject> frames, String type) {
        return frames.stream().filter(f -> f.getString("type").equals(type))
                .map(f -> f.getJsonObject("payload").getString("stream", "")).collect(Collectors.joining());
    }

    private static String runWorkflow(String name, String service, String input) {
        long workflow = Workflows.workflow(server, admin, "{\"name\":\"" + name + "\",\"jobs\":[{\"name\":\"j\",\"service\":\""
                + service + "\",\"input\":\"" + input + "\"}]}");
        try (WsClient c = WsClient.connect(server.ws("/api/ws?token=" + admin))) {
            c.nextOfType("connected", Duration.ofSeconds(10));
            long execution = Workflows.start(server, admin, workflow);
            List<JsonObject> frames = Workflows.follow(c, execution, T);
            JsonObject done = Workflows.execution(server, admin, execution);
            assertEquals("completed", last(frames).getString("status"), done.toString());
            return Workflows.job(done, "j").getString("output");
        }
    }

    private static boolean serviceExists(String name) {
        return Api.call(server, "GET", "/api/services", admin, null).json().getJsonArray("services").stream()
                .map(v -> ((JsonObject) v).getString("name")).anyMatch(name::equals);
    }

    @Test
    @Order(1)
    void aCProgramIsClonedAtItsTagBuiltByMakeValidatedAndRunInAWorkflow() throws Exception {
        String service = tag + "-upper";
        try (OperationFrames ws = new OperationFrames(server, admin)) {
            String id = start(admin, "standalone/git-build", "{\"service_name\":\"" + service + "\",\"description\":\"upper-caser\","
                    + "\"repo_url\":\"" + cRepo + "\",\"ref\":\"v1\"}");
            assertTrue(id.startsWith("op-"), id);
            List<JsonObject> frames = ws.toEnd(id, T);
            assertEquals(List.of("operation.start", "progress:cloning", "progress:building", "progress:validating",
                    "progress:registering", "operation.complete"), shape(frames), frames.toString());
            assertEquals("standalone.operation.start", frames.get(0).getString("type"));
            JsonObject startFrame = frames.get(0).getJsonObject("payload");
            assertEquals("git-build", startFrame.getString("operation_type"));
            assertEquals(service, startFrame.getString("service_name"));
            assertEquals(cRepo, startFrame.getString("repo_url"));
            assertFalse(startFrame.getString("message").isEmpty());
            assertTrue(frames.get(0).get("timestamp") instanceof jakarta.json.JsonNumber);
            assertPercentagesGrow(frames);
            assertTrue(streamOf(frames, "standalone.operation.progress").contains("cc -O2 -o tool main.c"),
                    "make's output on the wire: " + frames);

            JsonObject complete = last(frames);
            assertEquals(id, complete.getString("operation_id"));
            assertEquals(service, complete.getString("service_name"));
            assertEquals(cTagCommit, complete.getString("commit_hash"), "the tag's commit, not main's");
            String exe = complete.getString("executable_path");
            assertTrue(exe.startsWith(server.dataDir().resolve("executables").resolve(service).toString()) && exe.endsWith("/tool"), exe);
            assertEquals(List.of("STDIN", "STDOUT"), complete.getJsonArray("suggested_interfaces").getValuesAs(JsonObject.class)
                    .stream().map(i -> i.getString("interface_type")).toList());
            long serviceId = complete.getJsonNumber("service_id").longValue();
            assertEquals(serviceId, complete.getJsonObject("service").getJsonNumber("id").longValue());
            assertEquals("ACTIVE", complete.getJsonObject("service").getString("status"));

            JsonObject stored = operation(id);
            assertEquals("completed", stored.getString("status"));
            assertEquals(100.0, stored.getJsonNumber("percentage").doubleValue());
            assertEquals(List.of("cloning", "building", "validating", "registering"), stored.getJsonArray("steps")
                    .getValuesAs(JsonObject.class).stream().map(s -> s.getString("name")).toList());
            assertTrue(stored.getJsonArray("steps").getValuesAs(JsonObject.class).stream()
                    .allMatch(s -> s.getString("status").equals("completed")), stored.toString());
            assertTrue(stored.getString("log").contains("cc -O2 -o tool main.c"), stored.getString("log"));
            assertEquals(serviceId, stored.getJsonNumber("service_id").longValue());
            assertEquals(cTagCommit, stored.getJsonObject("result").getString("commit_hash"));
            assertFalse(Files.exists(server.dataDir().resolve("operations").resolve(id)), "the work folder is removed");

            JsonObject svc = Api.call(server, "GET", "/api/services/" + serviceId, admin, null).json();
            assertEquals("STANDALONE", svc.getString("type"));
            assertEquals("ACTIVE", svc.getString("status"));
            assertEquals(exe, svc.getJsonObject("config").getString("executable"));
            assertEquals("upper-caser", svc.getString("description"));
            assertEquals(2, svc.getJsonArray("interfaces").size());
            assertTrue(Api.call(server, "GET", "/api/operations", admin, null).json().getJsonArray("operations").stream()
                    .anyMatch(o -> ((JsonObject) o).getString("operation_id").equals(id)));
        }
        assertEquals("HELLO OPERATIONS\n", runWorkflow(tag + "-wf-upper", service, "hello operations\\n"),
                "the built service runs in a workflow");
    }

    @Test
    @Order(2)
    void aRustCrateIsBuiltByCargoAndRunInAWorkflow() throws Exception {
        boolean cargo = List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)).stream()
                .anyMatch(d -> Files.isExecutable(Path.of(d, "cargo"))) || Files.isExecutable(Path.of(System.getProperty("user.home"), ".cargo/bin/cargo"));
        Assumptions.assumeTrue(cargo, "no cargo on this machine");
        String url = repo("rust-rev", Map.of(
                "Cargo.toml", "[package]\nname = \"rev\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
                "src/main.rs", "use std::io::Read;\nfn main() {\n    let mut s = String::new();\n"
                        + "    std::io::stdin().read_to_string(&mut s).unwrap();\n    print!(\"{}\", s.chars().rev().collect::<String>());\n}\n"),
                Set.of(), null);
        String service = tag + "-rev";
        try (OperationFrames ws = new OperationFrames(server, admin)) {
            String id = start(admin, "standalone/git-build", "{\"service_name\":\"" + service + "\",\"repo_url\":\"" + url + "\"}");
            List<JsonObject> frames = ws.toEnd(id, Duration.ofSeconds(240));
            assertEquals("standalone.operation.complete", frames.get(frames.size() - 1).getString("type"), frames.toString());
            assertTrue(last(frames).getString("executable_path").endsWith("/rev"), last(frames).toString());
            assertTrue(operation(id).getString("log").contains("cargo build --release"));
        }
        assertEquals("desserts", runWorkflow(tag + "-wf-rev", service, "stressed"));
    }

    @Test
    @Order(2)
    void anNpmPackageIsInstalledItsBinIsTheExecutableAndRunsInAWorkflow() throws Exception {
        boolean npm = List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)).stream()
                .anyMatch(d -> Files.isExecutable(Path.of(d, "npm")));
        Assumptions.assumeTrue(npm, "no npm on this machine");
        // no dependencies, so npm install needs no registry; the bin is not executable in git: the build makes it so
        String url = repo("npm-shout", Map.of(
                "package.json", "{\"name\":\"shout\",\"version\":\"1.0.0\",\"bin\":{\"shout\":\"bin/shout.js\"},"
                        + "\"scripts\":{\"build\":\"node -e \\\"console.log('built by npm')\\\"\"}}",
                "bin/shout.js", "#!/usr/bin/env node\nlet s = '';\nprocess.stdin.on('data', d => s += d);\n"
                        + "process.stdin.on('end', () => process.stdout.write(s.toUpperCase() + '!'));\n"),
                Set.of(), null);
        String service = tag + "-npm";
        try (OperationFrames ws = new OperationFrames(server, admin)) {
            String id = start(admin, "standalone/git-build", "{\"service_name\":\"" + service + "\",\"repo_url\":\"" + url + "\"}");
            List<JsonObject> frames = ws.toEnd(id, Duration.ofSeconds(240));
            assertEquals("standalone.operation.complete", frames.get(frames.size() - 1).getString("type"), frames.toString());
            assertTrue(last(frames).getString("executable_path").endsWith("/shout.js"), last(frames).toString());
            String log = operation(id).getString("log");
            assertTrue(log.contains("npm install --no-audit --no-fund") && log.contains("npm run build") && log.contains("built by npm"), log);
        }
        assertEquals("HELLO!", runWorkflow(tag + "-wf-npm", service, "hello"));
    }

    @Test
    @Order(3)
    void aFailingBuildEndsBuildFailedWithTheBuildersOwnOutput() throws Exception {
        String url = repo("broken-c", Map.of("broken.c", "int main(void) { return missing_symbol_here; }\n",
                "Makefile", "broken: broken.c\n\tcc -o broken broken.c\n"), Set.of(), null);
        String service = tag + "-broken";
        try (OperationFrames ws = new OperationFrames(server, admin)) {
            String id = start(admin, "standalone/git-build", "{\"service_name\":\"" + service + "\",\"repo_url\":\"" + url + "\"}");
            List<JsonObject> frames = ws.toEnd(id, T);
            assertEquals(List.of("operation.start", "progress:cloning", "progress:building", "operation.error"), shape(frames));
            JsonObject error = last(frames);
            assertEquals("BUILD_FAILED", error.getString("code"));
            assertTrue(error.getString("error").startsWith("Build failed: make returned exit code 2"), error.toString());
            assertTrue(streamOf(frames, "standalone.operation.progress").contains("missing_symbol_here"), "gcc's message streamed");
            JsonObject stored = operation(id);
            assertEquals("error", stored.getString("status"));
            assertEquals("BUILD_FAILED", stored.getString("code"));
            assertTrue(stored.getString("log").contains("missing_symbol_here"), stored.getString("log"));
            assertFalse(stored.getString("log").contains("at dev.switchboard"), "the builder's output, never our stack trace");
            assertEquals(List.of("completed", "failed", "skipped", "skipped"), stored.getJsonArray("steps").getValuesAs(JsonObject.class)
                    .stream().map(s -> s.getString("status")).toList());
        }
        assertFalse(serviceExists(service), "no service from a failed build");
        assertFalse(Files.exists(server.dataDir().resolve("executables").resolve(service)), "nothing kept");
    }

    @Test
    @Order(3)
    void aBuilderSeesOnlyPathHomeLangAndTzNeverTheServersSecrets() throws Exception {
        // the server was started with SWITCHBOARD_ADMIN_PASSWORD, SWITCHBOARD_DB_PASSWORD, DOCKER_HOST, OPS_*; make prints all it got
        String url = repo("env-dump", Map.of("Makefile", "all:\n\t@env | sed 's/^/ENV:/'\n\t@false\n"), Set.of(), null);
        try (OperationFrames ws = new OperationFrames(server, admin)) {
            String id = start(admin, "standalone/git-build", "{\"service_name\":\"" + tag + "-env\",\"repo_url\":\"" + url + "\"}");
            List<JsonObject> frames = ws.toEnd(id, T);
            String stream = streamOf(frames, "standalone.operation.progress");
            assertTrue(stream.contains("ENV:PATH="), "the builder ran and printed its environment: " + stream);
            assertFalse(stream.contains(AppServer.ADMIN_PASSWORD), stream);
            for (String secret : List.of("SWITCHBOARD_", "DOCKER_HOST", "OPS_", "AUTH_", "MP_JWT")) {
                assertFalse(stream.contains("ENV:" + secret), secret + " reached a builder: " + stream);
            }
            List<String> names = java.util.regex.Pattern.compile("ENV:([A-Za-z_][A-Za-z0-9_]*)=").matcher(stream).results()
                    .map(m -> m.group(1)).toList();
            // what make and the shell add themselves, and the four the server passes
            List<String> allowed = List.of("PATH", "HOME", "LANG", "TZ", "PWD", "OLDPWD", "SHLVL", "_", "MAKELEVEL", "MAKEFLAGS", "MFLAGS");
            assertTrue(names.contains("PATH") && allowed.containsAll(names), names.toString());
        }
    }

    @Test
    @Order(4)
    void aRepositoryOrARefThatDoesNotExistIsGitCloneFailed() {
        try (OperationFrames ws = new OperationFrames(server, admin)) {
            String absent = repos.resolve("absent.git").toUri().toString();
            String a = start(admin, "standalone/git-build", "{\"service_name\":\"" + tag + "-absent\",\"repo_url\":\"" + absent + "\"}");
            List<JsonObject> frames = ws.toEnd(a, T);
            assertEquals(List.of("operation.start", "progress:cloning", "operation.error"), shape(frames));
            assertEquals("GIT_CLONE_FAILED", last(frames).getString("code"));
            assertTrue(last(frames).getString("error").startsWith("Cannot read the repository " + absent), last(frames).toString());

            String b = start(admin, "standalone/git-clone", "{\"service_name\":\"" + tag + "-noref\",\"repo_url\":\"" + cRepo
                    + "\",\"ref\":\"no-such-branch\",\"executable\":\"README\"}");
            frames = ws.toEnd(b, T);
            assertEquals("GIT_CLONE_FAILED", last(frames).getString("code"));
            assertEquals("No branch, tag or commit 'no-such-branch' in " + cRepo, last(frames).getString("error"));
        }
    }

    /** A build that never ends: a line every 0.2 s until it is stopped. */
    private static String endlessRepo(String name) throws Exception {
        return repo(name, Map.of("Makefile", "all:\n\t@while true; do echo tick; sleep 0.2; done\n"), Set.of(), null);
    }

    @Test
    @Order(5)
    void cancelInTheMiddleOfABuildStopsItAndEndsCancelled() throws Exception {
        String url = endlessRepo("endless-cancel");
        try (OperationFrames ws = new OperationFrames(server, admin)) {
            String id = start(admin, "standalone/git-build", "{\"service_name\":\"" + tag + "-endless\",\"repo_url\":\"" + url + "\"}");
            ws.until(id, f -> f.getJsonObject("payload").getString("stream", "").contains("tick"), T);
            assertEquals("running", operation(id).getString("status"));
            // the log of a running build is stored as it grows (every 2 s), not only at each step
            long deadline = System.nanoTime() + T.toNanos();
            while (!operation(id).getString("log").contains("tick") && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertTrue(operation(id).getString("log").contains("tick"), "the stored log grows while the build runs");
            Api.Reply cancel = Api.call(server, "POST", "/api/operations/" + id + "/cancel", admin, null);
            assertEquals(202, cancel.status(), cancel.body());
            List<JsonObject> frames = ws.toEnd(id, T);
            assertEquals("standalone.operation.error", frames.get(frames.size() - 1).getString("type"));
            assertEquals("CANCELLED", last(frames).getString("code"));
            assertEquals("Cancelled by admin", last(frames).getString("error"));
            JsonObject stored = operation(id);
            assertEquals("CANCELLED", stored.getString("code"));
            assertEquals(List.of("completed", "failed", "skipped", "skipped"), stored.getJsonArray("steps").getValuesAs(JsonObject.class)
                    .stream().map(s -> s.getString("status")).toList());
            assertFalse(Files.exists(server.dataDir().resolve("operations").resolve(id)), "the work folder is removed");
            Api.Reply again = Api.call(server, "POST", "/api/operations/" + id + "/cancel", admin, null);
            assertEquals(409, again.status(), again.body());
        }
        assertEquals(404, Api.call(server, "POST", "/api/operations/op-nosuch/cancel", admin, null).status());
        assertEquals(404, Api.call(server, "GET", "/api/operations/op-nosuch", admin, null).status());
    }

    @Test
    @Order(6)
    void aBuildPastItsTimeLimitEndsTimeout() throws Exception {
        String url = endlessRepo("endless-timeout");
        try (OperationFrames ws = new OperationFrames(server, admin)) {
            String id = start(admin, "standalone/git-build", "{\"service_name\":\"" + tag + "-slow\",\"repo_url\":\"" + url
                    + "\",\"timeout_seconds\":3}");
            List<JsonObject> frames = ws.toEnd(id, T);
            assertEquals("TIMEOUT", last(frames).getString("code"), frames.toString());
            assertEquals("Timed out after 3 s", last(frames).getString("error"));
        }
    }

    @Test
    @Order(7)
    void floodingOutputKeepsTheConnectionAndBoundsTheStoredLog() throws Exception {
        String url = repo("flood", Map.of("main.c", "int main(void) { return 0; }\n", "Makefile",
                "tool: main.c\n\t@yes 'flooding the build log with one more line of output' | head -n 200000\n\tcc -o tool main.c\n"),
                Set.of(), null);
        try (OperationFrames ws = new OperationFrames(server, admin)) {
            String id = start(admin, "standalone/git-build", "{\"service_name\":\"" + tag + "-flood\",\"repo_url\":\"" + url + "\"}");
            List<JsonObject> frames = ws.toEnd(id, T);
            assertEquals("standalone.operation.complete", frames.get(frames.size() - 1).getString("type"), shape(frames).toString());
            List<String> streams = frames.stream().map(f -> f.getJsonObject("payload").getString("stream", ""))
                    .filter(s -> !s.isEmpty()).toList();
            assertTrue(streams.stream().allMatch(s -> s.length() <= 16384), "each frame is bounded");
            assertTrue(streams.stream().anyMatch(s -> s.contains("flooding the build log")), "the stream flowed");
            long streamed = streams.stream().mapToLong(s -> s.lines().filter(l -> l.startsWith("flooding")).count()).sum();
            assertTrue(streamed < 200_000, "too fast for the wire: lines were left out of the live stream (" + streamed + ")");
            assertTrue(String.join("", streams).contains("lines not streamed: output too fast"));
            JsonObject stored = operation(id);
            String log = stored.getString("log");
            assertTrue(log.length() <= 8192 + 200, "bounded by ops.log.max-chars: " + log.length());
            assertTrue(stored.getBoolean("log_truncated"));
            assertTrue(log.contains("left out of the stored log"), log);
            assertTrue(log.contains("cc -o tool main.c"), "the tail is kept: " + log);
            assertFalse(ws.client.isClosed(), "the connection survived the flood");
        }
    }

    @Test
    @Order(8)
    void withAConcurrencyOfOneASecondOperationWaitsAndSaysSo() throws Exception {
        String url = endlessRepo("endless-queue");
        try (OperationFrames ws = new OperationFrames(server, admin)) {
            String a = start(admin, "standalone/git-build", "{\"service_name\":\"" + tag + "-first\",\"repo_url\":\"" + url + "\"}");
            ws.until(a, f -> f.getJsonObject("payload").getString("step", "").equals("building"), T);
            String b = start(admin, "standalone/git-build", "{\"service_name\":\"" + tag + "-second\",\"repo_url\":\"" + cRepo + "\"}");
            String c = start(admin, "standalone/git-build", "{\"service_name\":\"" + tag + "-third\",\"repo_url\":\"" + cRepo + "\"}");
            List<JsonObject> queued = ws.until(b, f -> f.getString("type").endsWith(".progress"), T);
            assertEquals(List.of("operation.start", "progress:queued"), shape(queued));
            String message = queued.get(1).getJsonObject("payload").getString("message");
            assertTrue(message.startsWith("Queued") && message.contains("ops.concurrency=1") && message.contains("0 ahead"), message);
            assertEquals("queued", operation(b).getString("status"));
            assertTrue(ws.until(c, f -> f.getString("type").endsWith(".progress"), T).get(1).getJsonObject("payload")
                    .getString("message").contains("1 ahead"));

            // a queued one is cancelled at once, without ever running
            assertEquals(202, Api.call(server, "POST", "/api/operations/" + c + "/cancel", admin, null).status());
            List<JsonObject> cFrames = ws.toEnd(c, T);
            assertEquals(List.of("operation.start", "progress:queued", "operation.error"), shape(cFrames));
            assertEquals("CANCELLED", last(cFrames).getString("code"));
            assertEquals("queued", operation(b).getString("status"), "b still waits for a");

            assertEquals(202, Api.call(server, "POST", "/api/operations/" + a + "/cancel", admin, null).status());
            assertEquals("CANCELLED", last(ws.toEnd(a, T)).getString("code"));
            List<JsonObject> bFrames = ws.toEnd(b, T);
            assertEquals(List.of("operation.start", "progress:queued", "progress:cloning", "progress:building", "progress:validating",
                    "progress:registering", "operation.complete"), shape(bFrames));
        }
    }

    @Test
    @Order(9)
    void gitCloneValidateAndUploadMakeServicesOfExecutables() throws Exception {
        String url = repo("scripts", Map.of("bin/echo-input", "#!/bin/sh\ncat\n", "bin/helper", "not executable\n"),
                Set.of("bin/echo-input"), null);
        try (OperationFrames ws = new OperationFrames(server, admin)) {
            String clone = start(admin, "standalone/git-clone", "{\"service_name\":\"" + tag + "-cat\",\"repo_url\":\"" + url
                    + "\",\"executable\":\"bin/echo-input\"}");
            List<JsonObject> frames = ws.toEnd(clone, T);
            assertEquals(List.of("operation.start", "progress:cloning", "progress:validating", "progress:registering",
                    "operation.complete"), shape(frames));
            assertTrue(last(frames).getString("executable_path").endsWith("/bin/echo-input"));

            String notExe = start(admin, "standalone/git-clone", "{\"service_name\":\"" + tag + "-helper\",\"repo_url\":\"" + url
                    + "\",\"executable\":\"bin/helper\"}");
            frames = ws.toEnd(notExe, T);
            assertEquals("VALIDATION_FAILED", last(frames).getString("code"));
            assertTrue(last(frames).getString("error").endsWith("bin/helper is not executable"), last(frames).toString());

            String validate = start(admin, "standalone/validate", "{\"service_name\":\"" + tag + "-true\",\"executable\":\"/bin/true\"}");
            frames = ws.toEnd(validate, T);
            assertEquals(List.of("operation.start", "progress:validating", "progress:registering", "operation.complete"), shape(frames));
            assertEquals("/bin/true", last(frames).getString("executable_path"));
            String failing = start(admin, "standalone/validate", "{\"service_name\":\"" + tag + "-false\",\"executable\":\"/bin/false\"}");
            frames = ws.toEnd(failing, T);
            assertEquals("VALIDATION_FAILED", last(frames).getString("code"));
            assertEquals("false answered the probe with exit code 1", last(frames).getString("error"));
            String absent = start(admin, "standalone/validate", "{\"service_name\":\"" + tag + "-ghost\",\"executable\":\"/nonexistent/tool\"}");
            assertEquals("/nonexistent/tool does not exist", last(ws.toEnd(absent, T)).getString("error"));
            String hangs = start(admin, "standalone/validate", "{\"service_name\":\"" + tag + "-sleep\",\"executable\":\"/bin/sleep\","
                    + "\"probe_args\":[\"60\"]}");
            assertEquals("sleep did not answer the probe within 10 s", last(ws.toEnd(hangs, T)).getString("error"));

            // upload: the executable arrives through the chunked upload into a service's file area
            Api.Reply area = Api.call(server, "POST", "/api/services", admin, "{\"name\":\"" + tag + "-inbox\",\"type\":\"DATA\"}");
            assertEquals(201, area.status(), area.body());
            byte[] script = "#!/bin/sh\ntr a-z A-Z\n".getBytes(StandardCharsets.UTF_8);
            Uploader up = new Uploader(ws.client);
            String session = up.start(area.json().getJsonNumber("id").longValue(), "g-" + tag, "tools/shout", 0, 1, script, 1024);
            up.chunk(session, 0, script, 1024);
            up.complete(session);
            String upload = start(admin, "standalone/upload", "{\"service_name\":\"" + tag + "-shout\",\"session_id\":\"" + session + "\"}");
            frames = ws.toEnd(upload, T);
            assertEquals(List.of("operation.start", "progress:validating", "progress:registering", "operation.complete"), shape(frames));
            assertEquals("upload", frames.get(0).getJsonObject("payload").getString("operation_type"));
            String wrong = start(admin, "standalone/upload", "{\"service_name\":\"" + tag + "-x\",\"session_id\":\"nosuch\"}");
            assertEquals("VALIDATION_FAILED", last(ws.toEnd(wrong, T)).getString("code"));
        }
        assertEquals("LOUD\n", runWorkflow(tag + "-wf-shout", tag + "-shout", "loud\\n"));
    }

    @Test
    @Order(10)
    void badRequestsAre400NamingTheFieldAndWritesNeedARole() throws Exception {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("standalone/git-build|{}", "service_name");
        cases.put("standalone/git-build|{\"service_name\":\"a b\",\"repo_url\":\"" + cRepo + "\"}", "service_name");
        cases.put("standalone/git-build|{\"service_name\":\"x\"}", "repo_url");
        cases.put("standalone/git-build|{\"service_name\":\"x\",\"repo_url\":\"ftp://h/r.git\"}", "repo_url");
        cases.put("standalone/git-build|{\"service_name\":\"x\",\"repo_url\":\"" + cRepo + "\",\"build_command\":\"make all\"}", "build_command");
        cases.put("standalone/git-build|{\"service_name\":\"x\",\"repo_url\":\"" + cRepo + "\",\"ref\":\"--upload-pack=x\"}", "ref");
        cases.put("standalone/git-build|{\"service_name\":\"x\",\"repo_url\":\"" + cRepo + "\",\"timeout_seconds\":0}", "timeout_seconds");
        cases.put("standalone/git-clone|{\"service_name\":\"x\",\"repo_url\":\"" + cRepo + "\"}", "executable");
        cases.put("standalone/git-clone|{\"service_name\":\"x\",\"repo_url\":\"" + cRepo + "\",\"executable\":\"../etc/passwd\"}", "executable");
        cases.put("standalone/validate|{\"service_name\":\"x\",\"executable\":\"relative/tool\"}", "executable");
        cases.put("standalone/upload|{\"service_name\":\"x\"}", "session_id");
        cases.put("docker/pull|{\"service_name\":\"x\"}", "image_name");
        cases.put("docker/pull|{\"service_name\":\"x\",\"image_name\":\"has space\"}", "image_name");
        cases.put("docker/build|{\"service_name\":\"x\"}", "dockerfile");
        cases.put("docker/build|{\"service_name\":\"x\",\"dockerfile\":\"FROM a\",\"repo_url\":\"" + cRepo + "\"}", "repo_url");
        cases.put("standalone/git-build|[1]", "body");
        for (var e : cases.entrySet()) {
            String[] parts = e.getKey().split("\\|", 2);
            Api.Reply r = Api.call(server, "POST", "/api/operations/" + parts[0], admin, parts[1]);
            assertEquals(400, r.status(), e.getKey() + " → " + r.body());
            assertTrue(r.json().getJsonObject("fields").containsKey(e.getValue()), e.getValue() + " in " + r.body());
        }
        assertEquals(404, Api.call(server, "POST", "/api/operations/docker/explode", admin, "{}").status());

        Tokens tokens = new Tokens(server);
        String operator = tokens.rs256(c -> c.subject("olga").claim("upn", "olga").claim("groups", List.of("operator")));
        String viewer = tokens.rs256(c -> c.subject("vera").claim("upn", "vera").claim("groups", List.of("viewer")));
        Api.Reply file = Api.call(server, "POST", "/api/operations/standalone/git-build", operator,
                "{\"service_name\":\"" + tag + "-op\",\"repo_url\":\"" + cRepo + "\"}");
        assertEquals(400, file.status(), file.body());
        assertTrue(file.json().getJsonObject("fields").getString("repo_url").contains("admin"), file.body());
        Api.Reply https = Api.call(server, "POST", "/api/operations/standalone/validate", operator,
                "{\"service_name\":\"" + tag + "-op\",\"executable\":\"/bin/true\"}");
        assertEquals(202, https.status(), "operators may start operations: " + https.body());
        assertEquals(403, Api.call(server, "POST", "/api/operations/standalone/validate", viewer,
                "{\"service_name\":\"v\",\"executable\":\"/bin/true\"}").status());
        assertEquals(401, Api.call(server, "POST", "/api/operations/standalone/validate", null, "{}").status());
        assertEquals(200, Api.call(server, "GET", "/api/operations", viewer, null).status(), "any signed-in user may read");
        assertEquals(400, Api.call(server, "GET", "/api/operations?limit=0", admin, null).status());
    }

    @Test
    @Order(11)
    void aPullStreamsEveryLayersProgressInOrderAndSuggestsTheImagesVolumes() {
        String image = "it/volumes-" + tag + ":1.0";
        String service = tag + "-volumes";
        try (OperationFrames ws = new OperationFrames(server, admin)) {
            String id = start(admin, "docker/pull", "{\"service_name\":\"" + service + "\",\"image_name\":\"" + image + "\"}");
            List<JsonObject> frames = ws.toEnd(id, T);
            assertEquals("docker.operation.start", frames.get(0).getString("type"));
            JsonObject startFrame = frames.get(0).getJsonObject("payload");
            assertEquals("pull", startFrame.getString("operation_type"));
            assertEquals(image, startFrame.getString("image_name"));
            assertEquals("docker.operation.complete", frames.get(frames.size() - 1).getString("type"), frames.toString());
            List<JsonObject> pulls = frames.stream().filter(f -> f.getString("type").equals("docker.pull.progress"))
                    .map(f -> f.getJsonObject("payload")).toList();
            assertTrue(pulls.stream().allMatch(p -> p.getString("service_name").equals(service) && p.getString("image_name").equals(image)));
            String layer = pulls.get(1).getString("layer_id");
            List<String> statuses = pulls.stream().filter(p -> p.getString("layer_id").equals(layer)).map(p -> p.getString("status")).toList();
            assertEquals(List.of("Pulling fs layer", "Downloading", "Downloading", "Downloading", "Downloading", "Verifying Checksum",
                    "Download complete", "Extracting", "Extracting", "Pull complete"), statuses, "the Engine's order, every item");
            JsonObject downloading = pulls.stream().filter(p -> p.getString("layer_id").equals(layer) && p.getString("status").equals("Downloading"))
                    .findFirst().orElseThrow();
            assertEquals(1048576, downloading.getJsonObject("progress_detail").getJsonNumber("current").longValue());
            assertEquals(4194304, downloading.getJsonObject("progress_detail").getJsonNumber("total").longValue());
            assertTrue(downloading.getString("progress").startsWith("[============>"), downloading.toString());
            assertEquals("Pulling from it/volumes-" + tag, pulls.get(0).getString("status"));
            assertTrue(pulls.get(pulls.size() - 1).getString("status").startsWith("Status: Downloaded newer image for"));
            assertPercentagesGrow(frames);
            assertTrue(frames.stream().anyMatch(f -> f.getString("type").equals("docker.operation.progress")
                    && f.getJsonObject("payload").getJsonNumber("percentage").doubleValue() > 0
                    && f.getJsonObject("payload").getJsonNumber("percentage").doubleValue() < 90), "an overall percentage in between");

            JsonObject complete = last(frames);
            assertEquals(image, complete.getString("image_name"));
            assertEquals(List.of("/data/input:INPUT", "/data/output:OUTPUT"), complete.getJsonArray("suggested_interfaces")
                    .getValuesAs(JsonObject.class).stream().map(i -> {
                        assertEquals("MOUNT", i.getString("interface_type"));
                        return i.getString("path") + ":" + i.getString("mount_function");
                    }).toList());
            JsonObject svc = Api.call(server, "GET", "/api/services/" + complete.getJsonNumber("service_id"), admin, null).json();
            assertEquals("DOCKER", svc.getString("type"));
            assertEquals(image, svc.getJsonObject("config").getString("image"));
            assertTrue(engine.hasImage(image));
        }
    }

    @Test
    @Order(12)
    void pullFailuresAreImagePullFailed() {
        try (OperationFrames ws = new OperationFrames(server, admin)) {
            String broken = start(admin, "docker/pull", "{\"service_name\":\"" + tag + "-broken-pull\",\"image_name\":\"it/broken-" + tag + "\"}");
            List<JsonObject> frames = ws.toEnd(broken, T);
            assertTrue(frames.stream().anyMatch(f -> f.getString("type").equals("docker.pull.progress")), "progress before the break");
            assertEquals("IMAGE_PULL_FAILED", last(frames).getString("code"));
            assertEquals("Cannot pull image it/broken-" + tag + ": unexpected EOF", last(frames).getString("error"));
            String denied = start(admin, "docker/pull", "{\"service_name\":\"" + tag + "-denied\",\"image_name\":\"nosuch/thing\"}");
            JsonObject error = last(ws.toEnd(denied, T));
            assertEquals("IMAGE_PULL_FAILED", error.getString("code"));
            assertTrue(error.getString("error").contains("pull access denied for nosuch/thing"), error.toString());
        }
        assertFalse(serviceExists(tag + "-broken-pull"));
    }

    @Test
    @Order(13)
    void aBuildStreamsTheEnginesOutputAndRegistersTheImage() {
        String service = tag + "-built";
        String dockerfile = "FROM alpine:3.20\\nRUN echo built inline\\nVOLUME /work/out\\n";
        try (OperationFrames ws = new OperationFrames(server, admin)) {
            String id = start(admin, "docker/build", "{\"service_name\":\"" + service + "\",\"dockerfile\":\"" + dockerfile + "\"}");
            List<JsonObject> frames = ws.toEnd(id, T);
            List<String> shape = shape(frames);
            assertEquals("operation.start", shape.get(0));
            assertEquals("progress:building", shape.get(1));
            assertEquals(List.of("progress:registering", "operation.complete"), shape.subList(shape.size() - 2, shape.size()), shape.toString());
            String image = service.toLowerCase() + ":latest";
            String output = streamOf(frames, "docker.build.output");
            assertEquals(List.of("Step 1/3 : FROM alpine:3.20", " ---> " , "Step 2/3 : RUN echo built inline", " ---> Running in",
                    "built inline", "Removing intermediate container", " ---> ", "Step 3/3 : VOLUME /work/out", " ---> ",
                    "Successfully built", "Successfully tagged " + image), output.lines().map(l -> l.startsWith(" ---> Running in") ? " ---> Running in"
                    : l.startsWith("Removing intermediate") ? "Removing intermediate container" : l.startsWith(" ---> ") ? " ---> "
                    : l.startsWith("Successfully built") ? "Successfully built" : l).toList(), "every line of the Engine's stream, in order");
            frames.stream().filter(f -> f.getString("type").equals("docker.build.output")).map(f -> f.getJsonObject("payload")).forEach(p -> {
                assertEquals(service, p.getString("service_name"));
                assertEquals(image, p.getString("image_name"));
                assertEquals("", p.getString("error"));
                assertEquals(JsonValue.NULL, p.get("error_detail"));
            });
            assertTrue(streamOf(frames, "docker.operation.progress").contains("Step 3/3 : VOLUME /work/out"), "the step in the progress");
            assertPercentagesGrow(frames);
            JsonObject complete = last(frames);
            assertEquals(image, complete.getString("image_name"));
            assertEquals("/work/out", complete.getJsonArray("suggested_interfaces").getJsonObject(0).getString("path"));
            assertEquals("FROM alpine:3.20\nRUN echo built inline\nVOLUME /work/out\n", engine.dockerfiles().get(engine.dockerfiles().size() - 1));
            assertTrue(engine.hasImage(image));
        }
    }

    @Test
    @Order(14)
    void aBuildFromAGitRepositoryClonesFirst() throws Exception {
        String url = repo("docker-ctx", Map.of("docker/Dockerfile", "FROM alpine:3.20\nRUN echo from git\n", "app.txt", "x\n"), Set.of(), "v2");
        try (OperationFrames ws = new OperationFrames(server, admin)) {
            String id = start(admin, "docker/build", "{\"service_name\":\"" + tag + "-gitimg\",\"image_name\":\"it/gitimg-" + tag
                    + ":v2\",\"repo_url\":\"" + url + "\",\"ref\":\"v2\",\"dockerfile_path\":\"docker/Dockerfile\"}");
            List<JsonObject> frames = ws.toEnd(id, T);
            List<String> shape = shape(frames);
            assertEquals(List.of("operation.start", "progress:cloning", "progress:building"), shape.subList(0, 3), shape.toString());
            assertEquals("docker.operation.complete", frames.get(frames.size() - 1).getString("type"));
            assertTrue(streamOf(frames, "docker.build.output").contains("from git"));
            assertEquals("Cloning Git repository...", frames.get(1).getJsonObject("payload").getString("message"));
            assertEquals(url, frames.get(0).getJsonObject("payload").getString("repo_url"));
        }
    }

    @Test
    @Order(15)
    void buildFailuresCarryTheEnginesErrorAndDetail() {
        try (OperationFrames ws = new OperationFrames(server, admin)) {
            String id = start(admin, "docker/build", "{\"service_name\":\"" + tag + "-badrun\",\"dockerfile\":\"FROM alpine:3.20\\nRUN false\\n\"}");
            List<JsonObject> frames = ws.toEnd(id, T);
            JsonObject errorOutput = frames.stream().filter(f -> f.getString("type").equals("docker.build.output")
                    && !f.getJsonObject("payload").getString("error").isEmpty()).findFirst().orElseThrow().getJsonObject("payload");
            assertEquals("The command '/bin/sh -c false' returned a non-zero code: 1", errorOutput.getString("error"));
            assertEquals(1, errorOutput.getJsonObject("error_detail").getInt("code"));
            assertEquals("docker.operation.error", frames.get(frames.size() - 1).getString("type"));
            assertEquals("IMAGE_BUILD_FAILED", last(frames).getString("code"));
            assertTrue(last(frames).getString("error").contains("returned a non-zero code: 1"));

            String base = start(admin, "docker/build", "{\"service_name\":\"" + tag + "-badbase\",\"dockerfile\":\"FROM nosuch/base\\n\"}");
            JsonObject error = last(ws.toEnd(base, T));
            assertEquals("IMAGE_BUILD_FAILED", error.getString("code"));
            assertTrue(error.getString("error").contains("pull access denied for nosuch/base"), error.toString());
        }
    }

    @Test
    @Order(16)
    void cancelInTheMiddleOfADockerBuild() {
        try (OperationFrames ws = new OperationFrames(server, admin)) {
            String id = start(admin, "docker/build", "{\"service_name\":\"" + tag + "-longbuild\",\"dockerfile\":\"FROM alpine:3.20\\nRUN sleep 60\\n\"}");
            ws.until(id, f -> f.getJsonObject("payload").getString("stream", "").contains("still working"), T);
            assertEquals(202, Api.call(server, "POST", "/api/operations/" + id + "/cancel", admin, null).status());
            JsonObject error = last(ws.toEnd(id, T));
            assertEquals("CANCELLED", error.getString("code"));
        }
    }

    @Test
    @Order(17)
    void createRegistersAnImageAndTheServiceRunsInAWorkflow() {
        String image = "it/upper-" + tag;
        try (OperationFrames ws = new OperationFrames(server, admin)) {
            String id = start(admin, "docker/create", "{\"service_name\":\"" + tag + "-dupper\",\"image_name\":\"" + image + "\"}");
            List<JsonObject> frames = ws.toEnd(id, T);
            List<String> shape = shape(frames);
            assertEquals("progress:inspecting", shape.get(1));
            assertTrue(shape.contains("pull.progress"), "missing on the Engine: pulled first " + shape);
            assertEquals("docker.operation.complete", frames.get(frames.size() - 1).getString("type"));
            assertEquals(List.of("STDIN", "STDOUT"), last(frames).getJsonArray("suggested_interfaces").getValuesAs(JsonObject.class)
                    .stream().map(i -> i.getString("interface_type")).toList());
        }
        assertEquals("DOCKER RUNS\n", runWorkflow(tag + "-wf-docker", tag + "-dupper", "docker runs\\n"));
    }

    @Test
    @Order(18)
    void anUnreachableEngineIsDockerUnavailableAtOnce() {
        engine.close();
        try (OperationFrames ws = new OperationFrames(server, admin)) {
            String id = start(admin, "docker/pull", "{\"service_name\":\"" + tag + "-away\",\"image_name\":\"it/away\"}");
            List<JsonObject> frames = ws.toEnd(id, T);
            assertEquals(List.of("operation.start", "operation.error"), shape(frames), "nothing but the error");
            assertEquals("DOCKER_UNAVAILABLE", last(frames).getString("code"));
            assertTrue(last(frames).getString("error").startsWith("Docker Engine at tcp://127.0.0.1:" + enginePort + " is not reachable"));
        } finally {
            engine = FakeDockerEngine.start(enginePort);
        }
    }

    @Test
    @Order(99)
    void anOperationCutOffByARestartEndsInterrupted() throws Exception {
        String url = endlessRepo("endless-restart");
        String id;
        try (OperationFrames ws = new OperationFrames(server, admin)) {
            id = start(admin, "standalone/git-build", "{\"service_name\":\"" + tag + "-cut\",\"repo_url\":\"" + url + "\"}");
            ws.until(id, f -> f.getJsonObject("payload").getString("stream", "").contains("tick"), T);
        }
        assertTrue(Files.isDirectory(server.dataDir().resolve("operations").resolve(id)));
        server.kill();
        server.start();
        admin = Api.adminToken(server);
        JsonObject stored = operation(id);
        assertEquals("error", stored.getString("status"));
        assertEquals("INTERRUPTED", stored.getString("code"));
        assertTrue(stored.getString("error").startsWith("Interrupted: the server stopped"), stored.toString());
        assertFalse(Files.exists(server.dataDir().resolve("operations").resolve(id)), "its work folder is gone");
    }
}
