package dev.switchboard.bench;

import jakarta.json.JsonObject;

import java.time.Duration;
import java.util.Base64;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenario 4: one file of {@code mb} MiB over one {@code node} connection in 1 MiB chunks, {@code window} chunks in
 * flight; MiB/s, and the server's heap sampled during the upload. Every chunk carries the same bytes (the client's
 * base64 work is done once, so the figure is the server's).
 */
final class UploadScenario {

    private final Bench bench;

    UploadScenario(Bench bench) {
        this.bench = bench;
    }

    JsonObject run() throws Exception {
        int mb = bench.option("mb", 512);
        int window = bench.option("window", 1);
        int chunk = 1 << 20;
        long serviceId = bench.call("POST", "/api/services",
                "{\"name\":\"bench-upload-" + System.nanoTime() + "\",\"type\":\"DATA\",\"description\":\"benchmark\"}")
                .getJsonNumber("id").longValue();
        Bench.Socket s = Bench.Socket.open(bench.ws("/api/ws?token=" + bench.token()));
        s.nextContaining("\"connected\"", Duration.ofSeconds(10));
        long total = (long) mb * chunk;
        s.send("{\"type\":\"file.upload.start\",\"payload\":{\"service_id\":" + serviceId + ",\"upload_group_id\":\"bench\","
                + "\"filename\":\"bench.bin\",\"file_path\":\"bench/bench-" + System.nanoTime() + ".bin\",\"file_index\":0,\"total_files\":1,"
                + "\"total_size\":" + total + ",\"total_chunks\":" + mb + ",\"chunk_size\":" + chunk + "},\"timestamp\":1}");
        String started = s.nextContaining("file.upload.", Duration.ofSeconds(30));
        if (!started.contains("file.upload.progress")) {
            throw new IllegalStateException("upload refused: " + started);
        }
        String session = Bench.json(started).getJsonObject("payload").getString("session_id");
        byte[] data = new byte[chunk];
        new Random(4).nextBytes(data);
        String b64 = Base64.getEncoder().encodeToString(data);

        AtomicLong maxHeap = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (running.get()) {
                maxHeap.accumulateAndGet(bench.serverHeapUsed(), Math::max);
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        long heapBefore = bench.serverHeapUsed();
        sampler.start();
        long t0 = System.nanoTime();
        int sent = 0;
        int acked = 0;
        boolean complete = false;
        while (acked < mb) {
            while (sent < mb && sent - acked < window) {
                s.send("{\"type\":\"file.upload.chunk\",\"payload\":{\"session_id\":\"" + session + "\",\"chunk_index\":" + sent
                        + ",\"data\":\"" + b64 + "\"},\"timestamp\":1}");
                sent++;
            }
            String m = s.nextContaining("file.upload.", Duration.ofSeconds(60));
            if (m.contains("file.upload.progress")) {
                acked++;
            } else if (m.contains("file.upload.complete")) {
                complete = true;
            } else {
                throw new IllegalStateException("upload failed: " + m);
            }
        }
        if (!complete) {
            s.nextContaining("file.upload.complete", Duration.ofSeconds(60));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        running.set(false);
        sampler.join();
        s.close();
        return Bench.result("upload").add("mib", mb).add("window", window).add("seconds", round(seconds))
                .add("mibPerSecond", round(mb / seconds))
                .add("serverHeapBeforeMiB", heapBefore >> 20).add("serverHeapMaxMiB", maxHeap.get() >> 20).build();
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
