package dev.switchboard.bench;

import jakarta.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Scenario 6: with {@code services} services registered (created here as needed, in parallel over REST), the time
 * from sending {@code service.search.request} to the first partial answer that carries services, over {@code runs}
 * searches, and to the complete answer.
 */
final class SearchScenario {

    private final Bench bench;

    SearchScenario(Bench bench) {
        this.bench = bench;
    }

    JsonObject run() throws Exception {
        int services = bench.option("services", 10_000);
        int runs = bench.option("runs", 50);
        int existing = bench.call("GET", "/api/services", null).getJsonArray("services").size();
        String tag = "bench" + System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        java.util.List<Future<?>> created = new java.util.ArrayList<>();
        for (int i = existing; i < services; i++) {
            int n = i;
            String typed = n % 3 == 0 ? "\"type\":\"DOCKER\",\"config\":{\"image\":\"bench/image:" + n + "\"}"
                    : n % 3 == 1 ? "\"type\":\"DATA\"" : "\"type\":\"STANDALONE\",\"config\":{\"executable\":\"/bin/cat\"}";
            created.add(pool.submit(() -> bench.call("POST", "/api/services", "{\"name\":\"" + tag + "-" + n + "\"," + typed
                    + ",\"status\":\"ACTIVE\",\"description\":\"image processing service number " + n + "\"}")));
        }
        for (Future<?> f : created) {
            f.get();
        }
        pool.shutdown();

        Bench.Socket s = Bench.Socket.open(bench.ws("/api/ws?token=" + bench.token()));
        s.nextContaining("\"connected\"", Duration.ofSeconds(10));
        Histogram first = new Histogram(3_600_000_000L, 3);
        Histogram complete = new Histogram(3_600_000_000L, 3);
        int found = 0;
        for (int r = 0; r < runs + 5; r++) {
            long t0 = System.nanoTime();
            s.send("{\"type\":\"service.search.request\",\"payload\":{\"query\":\"image\",\"service_type\":\"\",\"peer_ids\":[],"
                    + "\"active_only\":true},\"timestamp\":1}");
            long firstAt = 0;
            int count = 0;
            while (true) {
                JsonObject m = Bench.json(s.nextContaining("service.search.response", Duration.ofSeconds(60)));
                JsonObject p = m.getJsonObject("payload");
                int n = p.getJsonArray("services").size();
                if (n > 0 && firstAt == 0) {
                    firstAt = System.nanoTime();
                }
                count += n;
                if (p.getBoolean("complete")) {
                    break;
                }
            }
            long end = System.nanoTime();
            if (r >= 5) { // the first five warm the server up
                first.recordValue(Math.max(1, (firstAt == 0 ? end : firstAt) - t0) / 1000);
                complete.recordValue(Math.max(1, end - t0) / 1000);
                found = count;
            }
        }
        s.close();
        return Bench.result("search").add("services", Math.max(services, existing)).add("runs", runs).add("found", found)
                .add("firstAnswerMs", Latency.of(first)).add("completeMs", Latency.of(complete)).build();
    }
}
