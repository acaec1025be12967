package dev.switchboard.bench;

import jakarta.json.JsonObject;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenario 3: {@code conns} rtc connections holding {@code patterns} wildcard subscriptions each; one publisher sends
 * {@code Broadcast}s at {@code rate}/s for {@code duration} s to {@code bench.g<n>.msg}, where connection i holds
 * {@code bench.g<i % groups>.*} (and {@code patterns - 1} patterns that never match, so the trie is full): each message
 * reaches conns / groups connections. Deliveries per second, delivery ratio and latency (send to receive, one clock).
 */
final class RtcScenario {

    private final Bench bench;

    RtcScenario(Bench bench) {
        this.bench = bench;
    }

    JsonObject run() throws Exception {
        int conns = bench.option("conns", 10_000);
        int patterns = bench.option("patterns", 10);
        int groups = bench.option("groups", 10);
        int rate = bench.option("rate", 100);
        int duration = bench.option("duration", 10);
        int warmup = bench.option("warmup", 3);
        String token = bench.token();
        Recorder latency = new Recorder(3_600_000_000L, 3);
        AtomicLong delivered = new AtomicLong();
        AtomicLong measuring = new AtomicLong(Long.MAX_VALUE);
        List<WebSocket> sockets = new ArrayList<>(conns);
        long connectStart = System.nanoTime();
        int batch = 200;
        for (int from = 0; from < conns; from += batch) {
            int to = Math.min(conns, from + batch);
            CountDownLatch subscribed = new CountDownLatch(to - from);
            List<CompletableFuture<WebSocket>> opening = new ArrayList<>();
            for (int i = from; i < to; i++) {
                int group = i % groups;
                StringBuilder topics = new StringBuilder("\"bench.g" + group + ".*\"");
                for (int p = 1; p < patterns; p++) {
                    topics.append(",\"bench.x").append(i % 1000).append(".k").append(p).append(".*\"");
                }
                String subscribe = "{\"type\":\"Subscribe\",\"data\":{\"topics\":[" + topics + "]}}";
                opening.add(Bench.HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30))
                        .buildAsync(bench.ws("/rtc/ws?token=" + token), new WebSocket.Listener() {
                            private boolean welcomed;

                            @Override
                            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                                if (!welcomed) {
                                    welcomed = true;
                                    ws.sendText(subscribe, true);
                                } else if (data.length() > 0 && indexOf(data, "\"subscribed\"") >= 0) {
                                    subscribed.countDown();
                                } else {
                                    int t = indexOf(data, "\"t\":");
                                    if (t >= 0) {
                                        long sent = parseLong(data, t + 4);
                                        if (sent >= measuring.get()) {
                                            delivered.incrementAndGet();
                                            latency.recordValue(Math.max(1, (System.nanoTime() - sent) / 1000));
                                        }
                                    }
                                }
                                ws.request(1);
                                return null;
                            }
                        }));
            }
            for (CompletableFuture<WebSocket> f : opening) {
                sockets.add(f.get(60, TimeUnit.SECONDS));
            }
            if (!subscribed.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("subscriptions not confirmed for connections " + from + ".." + to);
            }
        }
        double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
        Bench.Socket publisher = Bench.Socket.open(bench.ws("/rtc/ws?token=" + token));
        publisher.next(Duration.ofSeconds(10));
        long perMessage = conns / groups;
        long sent = 0;
        long measuredSent = 0;
        long start = System.nanoTime();
        long measureFrom = start + warmup * 1_000_000_000L;
        long end = measureFrom + duration * 1_000_000_000L;
        boolean inWindow = false;
        while (true) {
            long now = System.nanoTime();
            if (now >= end) {
                break;
            }
            if (!inWindow && now >= measureFrom) {
                inWindow = true;
                latency.getIntervalHistogram();
                measuring.set(now);
            }
            long due = (now - start) * rate / 1_000_000_000L;
            while (sent < due) {
                long t = System.nanoTime();
                publisher.ws.sendText("{\"type\":\"Broadcast\",\"data\":{\"topic\":\"bench.g" + (sent % groups)
                        + ".msg\",\"payload\":{\"t\":" + t + "}}}", true).join();
                sent++;
                if (inWindow) {
                    measuredSent++;
                }
            }
            Thread.sleep(1);
        }
        long deliveredInWindow = delivered.get();
        Thread.sleep(3000);
        Histogram h = latency.getIntervalHistogram();
        long total = delivered.get();
        long expected = measuredSent * perMessage;
        for (WebSocket ws : sockets) {
            ws.abort();
        }
        publisher.ws.abort();
        return Bench.result("rtc").add("conns", conns).add("patternsPerConnection", patterns).add("recipientsPerMessage", perMessage)
                .add("rate", rate).add("duration", duration).add("sentMeasured", measuredSent).add("expectedDeliveries", expected)
                .add("delivered", total).add("deliveryRatio", expected == 0 ? 0 : UploadScenario.round((double) total / expected))
                .add("deliveredPerSecond", deliveredInWindow / duration)
                .add("connectSeconds", UploadScenario.round(connectSeconds))
                .add("latencyMs", Latency.of(h)).build();
    }

    static int indexOf(CharSequence s, String what) {
        int n = s.length() - what.length();
        outer:
        for (int i = 0; i <= n; i++) {
            for (int j = 0; j < what.length(); j++) {
                if (s.charAt(i + j) != what.charAt(j)) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static long parseLong(CharSequence s, int from) {
        long v = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                break;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
