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
    }
}
