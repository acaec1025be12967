package dev.switchboard.it;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A DOCKER job through {@code DOCKER_HOST=unix://...}, the way most hosts expose their Engine: the same
 * {@link FakeDockerEngine}, reached through a Unix domain socket, so the transport's socket code (and its
 * half-close of STDIN, without which a filter never ends) runs inside Payara.
 */
class DockerUnixSocketIT {

    private static FakeDockerEngine engine;
    private static AppServer server;
    private static Path socketDir;

    @BeforeAll
    static void setUp() throws Exception {
        // short: Unix socket paths are limited to about 100 bytes
        socketDir = Files.createTempDirectory("sb-docker");
        Path socket = socketDir.resolve("docker.sock");
        engine = FakeDockerEngine.start().serveUnixSocket(socket);
        server = AppServer.create("docker-unix", Map.of("DOCKER_HOST", "unix://" + socket));
        server.start();
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (server != null) {
            server.close();
        }
        if (engine != null) {
            engine.close();
        }
        Files.deleteIfExists(socketDir.resolve("docker.sock"));
        Files.deleteIfExists(socketDir);
    }

    @Test
    void aContainerRunsThroughTheEnginesUnixSocket() {
        String admin = Api.adminToken(server);
        String tag = "du" + System.nanoTime();
        Api.Reply created = Api.call(server, "POST", "/api/services", admin, "{\"name\":\"" + tag + "\",\"type\":\"DOCKER\","
                + "\"config\":{\"image\":\"it/upper-" + tag + "\"}}");
        assertEquals(201, created.status(), created.body());
        long workflow = Workflows.workflow(server, admin, "{\"name\":\"" + tag + "\",\"jobs\":["
                + "{\"name\":\"u\",\"service\":\"" + tag + "\",\"input\":\"over a unix socket\"}]}");
        try (WsClient c = WsClient.connect(server.ws("/api/ws?token=" + admin))) {
            c.nextOfType("connected", Duration.ofSeconds(10));
            long execution = Workflows.start(server, admin, workflow);
            List<JsonObject> frames = Workflows.follow(c, execution, Duration.ofSeconds(60));
            JsonObject done = Workflows.execution(server, admin, execution);
            assertEquals("completed", frames.get(frames.size() - 1).getJsonObject("payload").getString("status"), done.toString());
            assertEquals("OVER A UNIX SOCKET", Workflows.job(done, "u").getString("output"));
            assertFalse(engine.calls("POST", "/images/create").isEmpty(), "pulled through the socket too");
        }
    }
}
