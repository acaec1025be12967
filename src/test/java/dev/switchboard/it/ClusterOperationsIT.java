package dev.switchboard.it;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Standalone operations in a cluster of real instances sharing PostgreSQL and Redis, with a short operation lease
 * (5 s, swept every 500 ms). The operation is a real {@code git-build} of a local repository whose build prints
 * {@code tick} every 0.2 s until this test creates a file, then makes its executable: it lasts exactly as long as the
 * test wants. An operation running on A survives the restart of B and the joining of C (their start-up ends only their
 * own operations, their sweeps only those whose lease expired) and completes; after a {@code kill -9} of A in the middle
 * of another, B and C both sweep, exactly one ends it {@code INTERRUPTED}, and a client on each gets exactly one
 * {@code standalone.operation.error} for it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterOperationsIT {

    private static final Duration T = Duration.ofSeconds(120);
    static final long LEASE_TTL_MS = 5000;
    static final long TAKEOVER_INTERVAL_MS = 500;

    private Cluster cluster;
    private AppServer a;
    private AppServer b;
    private String admin;
    private Path dir;
    private String tag;

    @BeforeAll
    void startCluster() throws Exception {
        cluster = Cluster.start("cops", 2, Map.of(
                "OPS_LEASE_TTL_MS", String.valueOf(LEASE_TTL_MS),
                "OPS_TAKEOVER_INTERVAL_MS", String.valueOf(TAKEOVER_INTERVAL_MS)));
        a = cluster.get(0);
        b = cluster.get(1);
        admin = Api.adminToken(a);
        tag = "cop" + System.nanoTime();
        dir = Path.of(System.getProperty("it.work", "target/it")).resolve("cluster-ops-" + tag).toAbsolutePath();
        Files.createDirectories(dir);
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** A repository whose build ticks until {@code release} exists, then makes the executable {@code tool} (a cat). */
    private String waitingRepo(String name, Path release) throws Exception {
        String build = "while [ ! -e '" + release + "' ]; do echo tick; sleep 0.2; done\n"
                + "printf '#!/bin/sh\\ncat\\n' > tool\nchmod +x tool\necho built\n";
        return GitRepos.bare(dir, name, Map.of("Makefile", "all:\n\t@sh build.sh\n", "build.sh", build), Set.of(), null);
    }

    /** Starts a git-build on {@code s} and returns its id. */
    private String gitBuild(AppServer s, String service, String repoUrl) {
        Api.Reply r = Api.call(s, "POST", "/api/operations/standalone/git-build", admin,
                "{\"service_name\":\"" + service + "\",\"repo_url\":\"" + repoUrl + "\"}");
        assertEquals(202, r.status(), r.body());
        return r.json().getString("operation_id");
    }

    private JsonObject operation(AppServer s, String id) {
        Api.Reply r = Api.call(s, "GET", "/api/operations/" + id, admin, null);
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    private static boolean ticking(JsonObject f) {
        return f.getJsonObject("payload").getString("stream", "").contains("tick");
    }

    private static List<JsonObject> errors(List<JsonObject> frames) {
        return frames.stream().filter(f -> f.getString("type", "").endsWith(".operation.error")).toList();
    }

    private static List<JsonObject> of(String id, List<JsonObject> frames) {
        return frames.stream().filter(OperationFrames::isOperationFrame)
                .filter(f -> id.equals(f.getJsonObject("payload").getString("operation_id", ""))).toList();
    }

    private String peerId(AppServer s) {
        try (WsClient ws = WsClient.connect(s.ws("/api/ws?token=" + admin))) {
            return ws.nextOfType("connected", T).getJsonObject("payload").getString("peer_id");
        }
    }

    /** The operation's runner and lease as stored. */
    private static String[] lease(AppServer s, String id) throws Exception {
        try (Connection db = DriverManager.getConnection(s.databaseUrl(), Postgres.USER, Postgres.PASSWORD);
             PreparedStatement q = db.prepareStatement("SELECT runner, lease_expires_at FROM sb_operation WHERE id = ?")) {
            q.setString(1, id);
            try (ResultSet rs = q.executeQuery()) {
                assertTrue(rs.next(), id);
                return new String[] {rs.getString(1), String.valueOf(rs.getLong(2))};
            }
        }
    }

    @Test
    @Order(1)
    void anOperationRunningOnOneInstanceSurvivesAnotherRestartingAndAThirdJoiningAndCompletes() throws Exception {
        Path release = dir.resolve("release-survivor");
        String url = waitingRepo("survivor", release);
        String service = tag + "-survivor";
        String idA = peerId(a);
        String id;
        try (OperationFrames onB = new OperationFrames(b, admin)) {
            id = gitBuild(a, service, url);
            onB.until(id, ClusterOperationsIT::ticking, T); // running on A, its frames relayed to B
        }
        assertEquals(idA, lease(a, id)[0], "the instance that started it runs it");
        long leaseBefore = Long.parseLong(lease(a, id)[1]);

        // B restarts (same peer id): its start-up ends only its own unfinished operations
        b.kill();
        b.start();
        Cluster.awaitMembers(a, 2);
        // C joins
        AppServer c = cluster.add();
        c.start();
        for (AppServer s : List.of(a, b, c)) {
            Cluster.awaitMembers(s, 3);
        }
        try (OperationFrames onB = new OperationFrames(b, admin); OperationFrames onC = new OperationFrames(c, admin)) {
            onB.until(id, ClusterOperationsIT::ticking, T);
            onC.until(id, ClusterOperationsIT::ticking, T);
            assertEquals("running", operation(c, id).getString("status"));
            // past a whole lease and several sweeps of B and C since they started: A's renewals keep it
            long renewedPast = System.currentTimeMillis() + LEASE_TTL_MS + 4 * TAKEOVER_INTERVAL_MS;
            while (System.currentTimeMillis() < renewedPast) {
                assertTrue(errors(of(id, onB.client.drain(Duration.ofMillis(500)))).isEmpty(), "not interrupted");
            }
            assertEquals("running", operation(b, id).getString("status"));
            assertTrue(Long.parseLong(lease(a, id)[1]) > leaseBefore, "the lease was renewed");

            Files.writeString(release, "go\n");
            List<JsonObject> onBFrames = onB.toEnd(id, T);
            List<JsonObject> onCFrames = onC.toEnd(id, T);
            assertEquals("standalone.operation.complete", onBFrames.get(onBFrames.size() - 1).getString("type"), onBFrames.toString());
            assertEquals("standalone.operation.complete", onCFrames.get(onCFrames.size() - 1).getString("type"), onCFrames.toString());
            assertEquals(List.of(), errors(onBFrames), onBFrames.toString());
            assertEquals(List.of(), errors(onCFrames), onCFrames.toString());
        }
        JsonObject done = operation(b, id);
        assertEquals("completed", done.getString("status"), done.toString());
        assertTrue(done.getString("log").contains("built"), done.toString());
        for (AppServer s : List.of(b, c)) {
            assertFalse(s.log().contains("ops.operation.interrupted operation=" + id), "nobody else ended it");
        }
        assertFalse(a.log().contains("ops.operation.lease.lost"), "A never lost a lease");
    }

    @Test
    @Order(2)
    void anOperationWhoseInstanceIsKilledEndsInterruptedOnceForEveryClient() throws Exception {
        AppServer c = cluster.get(2);
        String url = waitingRepo("doomed", dir.resolve("release-never"));
        String service = tag + "-doomed";
        try (OperationFrames onB = new OperationFrames(b, admin); OperationFrames onC = new OperationFrames(c, admin)) {
            String id = gitBuild(a, service, url);
            onB.until(id, ClusterOperationsIT::ticking, T);
            onC.until(id, ClusterOperationsIT::ticking, T);
            long killed = System.nanoTime();
            a.kill();

            List<JsonObject> framesB = onB.until(id, f -> f.getString("type").endsWith(".operation.error"), T);
            long endedMs = (System.nanoTime() - killed) / 1_000_000;
            List<JsonObject> framesC = onC.until(id, f -> f.getString("type").endsWith(".operation.error"), T);
            JsonObject error = errors(framesB).get(0).getJsonObject("payload");
            assertEquals("INTERRUPTED", error.getString("code"), error.toString());
            assertEquals("Interrupted: the instance running it stopped (its lease expired); start it again", error.getString("error"));
            // a second end would come from the other sweeper within a sweep or two: none comes
            Duration window = Duration.ofMillis(4 * TAKEOVER_INTERVAL_MS + 2000);
            List<JsonObject> laterB = of(id, onB.client.drain(window));
            List<JsonObject> laterC = of(id, onC.client.drain(Duration.ofMillis(1)));
            assertEquals(1, errors(framesB).size() + errors(laterB).size(), "one error frame on B: " + framesB + laterB);
            assertEquals(1, errors(framesC).size() + errors(laterC).size(), "one error frame on C: " + framesC + laterC);

            JsonObject stored = operation(b, id);
            assertEquals("error", stored.getString("status"), stored.toString());
            assertEquals("INTERRUPTED", stored.getString("code"), stored.toString());
            long enders = List.of(b, c).stream().filter(s -> s.log().contains("ops.operation.interrupted operation=" + id)).count();
            assertEquals(1, enders, "exactly one instance ended it");
            assertFalse(Api.call(b, "GET", "/api/services", admin, null).body().contains(service), "no service was registered");
            System.out.println("cluster.operation.failover kill-9 -> INTERRUPTED on b after " + endedMs + " ms (lease ttl "
                    + LEASE_TTL_MS + " ms, renewed every " + LEASE_TTL_MS / 3 + " ms, sweep every " + TAKEOVER_INTERVAL_MS
                    + " ms: bound " + (LEASE_TTL_MS + TAKEOVER_INTERVAL_MS) + " ms plus delivery)");
        }
    }
}
