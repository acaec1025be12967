package dev.switchboard.bench;

import dev.switchboard.it.AppServer;
import dev.switchboard.it.SharedServer;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The benchmark's own scenarios at a tiny size against the shared test server, so that they cannot rot: each must
 * finish and report whole results (no figure is judged here; figures belong to src/bench/run.sh). The summary must
 * render a run.
 */
class BenchSmokeIT {

    private static Bench bench;

    @BeforeAll
    static void setUp() {
        AppServer server = SharedServer.get();
        bench = new Bench("127.0.0.1:" + server.port(), AppServer.ADMIN_PASSWORD,
                "mb=16", "window=4", "services=60", "runs=3", "executions=5", "conns=50", "rate=20", "duration=2", "warmup=1",
                "groups=5", "timeoutSeconds=10");
    }

    @Test
    void uploadCompletesAndReportsItsRateAndTheServersHeap() throws Exception {
        JsonObject r = bench.run("upload");
        assertEquals(16, r.getInt("mib"));
        assertTrue(r.getJsonNumber("mibPerSecond").doubleValue() > 0, r.toString());
        assertTrue(r.getJsonNumber("serverHeapMaxMiB").longValue() > 0, r.toString());
    }

    @Test
    void searchFindsTheServicesAndTimesEveryRun() throws Exception {
        JsonObject r = bench.run("search");
        assertTrue(r.getInt("found") > 0, r.toString());
        assertEquals(3, r.getJsonObject("firstAnswerMs").getInt("samples"));
    }

    @Test
    void everyWorkflowExecutionCompletesWithAllItsEvents() throws Exception {
        JsonObject r = bench.run("workflow");
        assertEquals(0, r.getInt("failed"), r.toString());
        assertEquals(5, r.getInt("executionsWithAll13Events"), r.toString());
    }

    @Test
    void rtcBroadcastsReachEveryMatchingSubscriberOnce() throws Exception {
        JsonObject r = bench.run("rtc");
        assertEquals(10, r.getInt("recipientsPerMessage"));
        assertTrue(r.getInt("sentMeasured") > 0, r.toString());
        assertEquals(r.getJsonNumber("expectedDeliveries").longValue(), r.getJsonNumber("delivered").longValue(), r.toString());
    }

    @Test
    void theClusterFanOutCountsEveryDeliveryOfEverySubscriber() throws Exception {
        // one instance named twice: the spread, the exactly-once check and the local/remote split still run; the
        // shared server's workspace limits (30 messages per name at once, 6 s idle) bound the size
        String host = bench.host;
        JsonObject r = new Bench(host, AppServer.ADMIN_PASSWORD, "hosts=" + host + "," + host, "conns=20", "rate=5", "duration=1",
                "warmup=1", "drain=5").run("cluster");
        assertEquals(2, r.getInt("instances"));
        assertTrue(r.getInt("sent") > 0, r.toString());
        assertEquals(r.getJsonNumber("expectedDeliveries").longValue(), r.getJsonNumber("delivered").longValue(), r.toString());
        assertEquals(0, r.getInt("lost"), r.toString());
        assertEquals(0, r.getInt("duplicates"), r.toString());
        assertEquals(0, r.getInt("subscribersMissingSome"), r.toString());
        assertTrue(r.getJsonObject("subscribersClosedByServer").isEmpty(), r.toString());
        assertTrue(r.getJsonObject("latencyRemoteMs").getInt("samples") > 0, r.toString());
    }

    @Test
    void theFirstConnectionProbeAndTheSummaryWork() throws Exception {
        JsonObject first = bench.run("first-connection");
        assertTrue(first.getJsonNumber("seconds").doubleValue() >= 0, first.toString());
        String table = Summary.render(List.of(
                Bench.json("{\"scenario\":\"fanout\",\"server\":\"switchboard\",\"rate\":50,\"deliveryRatio\":1,\"deliveredPerSec\":50000,"
                        + "\"serverCpuPct\":30,\"latencyMs\":{\"p50\":1,\"p99\":2,\"p999\":3}}"),
                Bench.json("{\"scenario\":\"fanout\",\"server\":\"go\",\"rate\":50,\"deliveryRatio\":1,\"deliveredPerSec\":50000,"
                        + "\"serverCpuPct\":60,\"latencyMs\":{\"p50\":1,\"p99\":2,\"p999\":3}}"),
                first));
        assertTrue(table.contains("| go | 50 | 1.000 | 50000 | 1 | 2 | 3 | 60 | 12.0 | 0.50 |"), table);
        String cluster = Summary.render(List.of(clusterRow(1, 50000, 2, 4), clusterRow(2, 45000, 3, 8),
                Bench.json("{\"scenario\":\"failover\",\"presenceOfflineMs\":9000,\"agentOfflineMs\":8000,\"peerDisconnectedMs\":8001,\"run\":1}"),
                Bench.json("{\"scenario\":\"failover\",\"presenceOfflineMs\":7000,\"agentOfflineMs\":6000,\"peerDisconnectedMs\":6001,\"run\":2}"),
                Bench.json("{\"scenario\":\"failover\",\"presenceOfflineMs\":8000,\"agentOfflineMs\":7000,\"peerDisconnectedMs\":7001,\"run\":3}")));
        assertTrue(cluster.contains("| 2 | 50 | 1.0000 | 0 | 0 | 45000 | 3 | 8 | 9 | 2 / 6 | 4 / 10 | 60 | 13.3 | 0.90 | 1.50 | 2.00 |  |"), cluster);
        assertTrue(cluster.contains("| min / median / max | 7000 / 8000 / 9000 | 6000 / 7000 / 8000 | 6001 / 7001 / 8001 | |"), cluster);
    }

    private static JsonObject clusterRow(int instances, int perSecond, int p50, int p99) {
        return Bench.json("{\"scenario\":\"cluster\",\"instances\":" + instances + ",\"rate\":50,\"deliveryRatio\":1,\"lost\":0,"
                + "\"duplicates\":0,\"deliveredPerSec\":" + perSecond + ",\"serverCpuPct\":60,\"latencyMs\":{\"p50\":" + p50 + ",\"p99\":"
                + p99 + ",\"p999\":9},\"latencyLocalMs\":{\"p50\":2,\"p99\":6,\"samples\":5},\"latencyRemoteMs\":{\"p50\":4,\"p99\":10,"
                + "\"samples\":" + (instances - 1) * 5 + "}}");
    }
}
