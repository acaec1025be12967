package dev.switchboard.it;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two instances on a Redis of this test's own (a redis-server on a free port, so the shared one on 6379 is never
 * disturbed): when Redis goes away each keeps serving its own clients and reports the degraded cluster (readiness
 * detail and a vault alert) without going DOWN; when it returns, relaying resumes by itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterFaultIT {

    private static final Duration T = Duration.ofSeconds(20);

    private int redisPort;
    private Process redis;
    private AppServer a;
    private AppServer b;

    @BeforeAll
    void start() throws Exception {
        redisPort = freePort();
        startRedis();
        cluster = Cluster.start("fault", 2, Map.of("CLUSTER_REDIS_URL", "redis://127.0.0.1:" + redisPort));
        a = cluster.get(0);
        b = cluster.get(1);
        tokens = cluster.tokens;
    }

    private Cluster cluster;

    private ClusterTokens tokens;

    private void startRedis() throws IOException, InterruptedException {
        Path log = Path.of(System.getProperty("it.work", "target/it")).resolve("fault-redis-" + redisPort + ".log");
        Files.createDirectories(log.getParent());
        redis = new ProcessBuilder("redis-server", "--bind", "127.0.0.1", "--port", String.valueOf(redisPort),
                "--save", "", "--appendonly", "no")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", redisPort)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("redis-server did not start on " + redisPort);
    }

    private void stopRedis() throws InterruptedException {
        redis.destroyForcibly();
        redis.waitFor(30, TimeUnit.SECONDS);
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (cluster != null) {
            cluster.close();
        }
        if (redis != null) {
            stopRedis();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The cluster check of the server's readiness, once {@code condition} holds for it; the whole answer is UP. */
    private static JsonObject awaitCluster(AppServer s, Predicate<JsonObject> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonObject last = null;
        while (System.nanoTime() < deadline) {
            Api.Reply r = Api.get(s, "/health/ready");
            last = r.json();
            for (var check : last.getJsonArray("checks")) {
                JsonObject o = check.asJsonObject();
                if ("cluster".equals(o.getString("name")) && condition.test(o.getJsonObject("data"))) {
                    assertEquals(200, r.status(), "ready stays UP: " + r.body());
                    return o;
                }
            }
            AppServer.sleep(100);
        }
        throw new AssertionError("condition not met on " + s.port() + ": " + last);
    }

    private static String text(JsonObject data, String field) {
        return data.get(field).toString().replace("\"", "");
    }

    private static void subscribe(Rtc.Client client, String topic) {
        client.send("{\"type\":\"Subscribe\",\"data\":{\"topics\":[\"" + topic + "\"]}}");
        client.ws().next(ClusterIT.type("Status"), T);
    }

    private static int broadcast(Rtc.Client publisher, String topic, int n) {
        publisher.send("{\"type\":\"Broadcast\",\"data\":{\"topic\":\"" + topic + "\",\"payload\":{\"n\":" + n + "}}}");
        return publisher.ws().next(ClusterIT.type("Ack"), T).getJsonObject("data").getInt("recipients");
    }

    @Test
    void withoutRedisEachInstanceServesItsOwnClientsAndRelayingResumesWhenRedisReturns() throws Exception {
        String topic = "fault." + UUID.randomUUID().toString().substring(0, 8);
        try (var publisher = tokens.rtc(a, Rtc.user("pub")); var localSub = tokens.rtc(a, Rtc.user("la"));
             var remoteSub = tokens.rtc(b, Rtc.user("rb")); var vault = WsClient.connect(a.ws("/ws?token=" + tokens.token(Rtc.user("ops"), List.of("operator"))))) {
            subscribe(localSub, topic);
            subscribe(remoteSub, topic);
            vault.send("{\"type\":\"subscribe\",\"topic\":\"alerts\"}");
            vault.next(m -> "subscribed".equals(m.getString("type")), T);
            assertEquals(2, broadcast(publisher, topic, 1));
            remoteSub.ws().next(ClusterIT.type("Broadcast"), T);
            localSub.ws().next(ClusterIT.type("Broadcast"), T);

            stopRedis();
            awaitCluster(a, d -> "unreachable".equals(text(d, "backplane")) && "true".equals(text(d, "degraded")));
            JsonObject alert = vault.next(m -> "network_alert".equals(m.getString("type"))
                    && "cluster_backplane".equals(m.getJsonObject("data").getString("metric")), T);
            assertEquals("critical", alert.getJsonObject("data").getString("level"));
            awaitCluster(a, d -> "1".equals(text(d, "members")));
            // alone now: the local subscriber still gets it, and the Ack does not wait for anyone
            assertEquals(1, broadcast(publisher, topic, 2));
            assertEquals(2, localSub.ws().next(ClusterIT.type("Broadcast"), T).getJsonObject("data").getJsonObject("payload").getInt("n"));

            startRedis();
            awaitCluster(a, d -> "reachable".equals(text(d, "backplane")) && "2".equals(text(d, "members")));
            awaitCluster(b, d -> "reachable".equals(text(d, "backplane")) && "2".equals(text(d, "members")));
            assertEquals("resolved", vault.next(m -> "network_alert".equals(m.getString("type"))
                    && "cluster_backplane".equals(m.getJsonObject("data").getString("metric")), T)
                    .getJsonObject("data").getString("level"));
            assertEquals(2, broadcast(publisher, topic, 3));
            assertEquals(3, remoteSub.ws().next(ClusterIT.type("Broadcast"), T).getJsonObject("data").getJsonObject("payload").getInt("n"));
        }
        List.of(a, b).forEach(s -> assertEquals(200, Api.get(s, "/health/live").status()));
    }
}
