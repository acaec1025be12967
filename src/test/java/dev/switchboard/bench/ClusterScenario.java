package dev.switchboard.bench;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.net.URI;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Cross-instance fan-out: {@code conns} workspace chat subscribers spread round-robin over the instances of
 * {@code hosts} (a comma list of host:port; the first is instance A), one publisher on A sending {@code message:send}
 * at {@code rate}/s. Run once against one instance and once against two, it gives the cost of crossing instances.
 * Each text carries the publisher's clock and a sequence number ({@code t=<nanoTime>;s=<seq>}): latency is publish
 * to receipt on the subscriber (one JVM, one clock), and every subscriber's sequence numbers are checked, so losses
 * and duplicates over the whole run (warm-up included) are counted, not guessed: after the last send it waits until
 * everything arrived or nothing more arrives for {@code drain} seconds, so what is missing is lost, not late. Latencies are recorded apart for
 * the subscribers on A (local) and on the other instances (remote). With {@code pids} (the servers' process ids)
 * it reads their CPU time from /proc over the measured window.
 */
final class ClusterScenario {

    private final Bench bench;

    ClusterScenario(Bench bench) {
        this.bench = bench;
    }

    /** One subscriber: the sequence numbers it got, how many twice. */
    private static final class Subscriber implements WebSocket.Listener {
        final CountDownLatch connected;
        final Recorder latency;
        final AtomicLong windowCount;
        /** 0 before the measured window, then its start (nanoTime); the closed flag once it is over. */
        final AtomicLong windowOpen;
        final AtomicBoolean windowClosed;
        final BitSet seen = new BitSet();
        long duplicates;
        long received;
        long foreign;
        private StringBuilder partial;

        Subscriber(CountDownLatch connected, Recorder latency, AtomicLong windowCount, AtomicLong windowOpen,
                   AtomicBoolean windowClosed) {
            this.connected = connected;
            this.latency = latency;
            this.windowCount = windowCount;
            this.windowOpen = windowOpen;
            this.windowClosed = windowClosed;
        }

        /** The close code when the server closed this subscriber (1013: it fell behind, its queue overflowed), else 0. */
        volatile int closedWith;

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closedWith = statusCode;
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closedWith = -1;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            CharSequence text = data;
            if (!last || partial != null) {
                if (partial == null) {
                    partial = new StringBuilder();
                }
                partial.append(data);
                if (!last) {
                    ws.request(1);
                    return null;
                }
                text = partial;
                partial = null;
            }
            long now = System.nanoTime();
            int t = RtcScenario.indexOf(text, "\"text\":\"t=");
            if (t >= 0) {
                long sent = RtcScenario.parseLong(text, t + 10);
                int s = RtcScenario.indexOf(text, ";s=");
                int seq = s < 0 ? -1 : (int) RtcScenario.parseLong(text, s + 3);
                synchronized (this) {
                    received++;
                    if (seq < 0) {
                        foreign++;
                    } else if (seen.get(seq)) {
                        duplicates++;
                    } else {
                        seen.set(seq);
                    }
                }
                long open = windowOpen.get();
                if (open != 0 && !windowClosed.get()) {
                    // received while the window is open (deliveries per second)
                    windowCount.incrementAndGet();
                }
                if (open != 0 && sent - open >= 0) {
                    // sent while the window was open, whenever it arrives (latency)
                    latency.recordValue(Math.max(1, (now - sent) / 1000));
                }
            } else if (RtcScenario.indexOf(text, "\"type\":\"connected\"") >= 0) {
                connected.countDown();
            }
            ws.request(1);
            return null;
        }
    }

    JsonObject run() throws Exception {
        String[] hosts = bench.option("hosts", bench.host).split(",");
        int conns = bench.option("conns", 1000);
        int rate = bench.option("rate", 50);
        int duration = bench.option("duration", 10);
        int warmup = bench.option("warmup", 3);
        int drain = bench.option("drain", 5);
        int drainMax = bench.option("drainMax", 120);
        String load = loadAverage();
        int hz = bench.option("hz", 100);
        String pids = bench.option("pids", "");
        String run = Long.toString(System.currentTimeMillis() % 1_000_000L, 36);
        Recorder localLatency = new Recorder(3_600_000_000L, 3);
        Recorder remoteLatency = new Recorder(3_600_000_000L, 3);
        AtomicLong windowCount = new AtomicLong();
        AtomicLong windowOpen = new AtomicLong();
        AtomicBoolean windowClosed = new AtomicBoolean();
        List<Subscriber> subscribers = new ArrayList<>(conns);
        List<WebSocket> sockets = new ArrayList<>(conns);
        long connectStart = System.nanoTime();
        int batch = 200;
        for (int from = 0; from < conns; from += batch) {
            int to = Math.min(conns, from + batch);
            CountDownLatch connected = new CountDownLatch(to - from);
            List<CompletableFuture<WebSocket>> opening = new ArrayList<>();
            for (int i = from; i < to; i++) {
                int h = i % hosts.length;
                Subscriber sub = new Subscriber(connected, h == 0 ? localLatency : remoteLatency, windowCount, windowOpen,
                        windowClosed);
                subscribers.add(sub);
                opening.add(Bench.HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30))
                        .buildAsync(URI.create("ws://" + hosts[h] + "/workspace/ws?username=c" + run + "_" + i), sub));
            }
            for (CompletableFuture<WebSocket> f : opening) {
                sockets.add(f.get(60, TimeUnit.SECONDS));
            }
            if (!connected.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no connected frame for connections " + from + ".." + to);
            }
        }
        double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
        Bench.Socket publisher = Bench.Socket.open(URI.create("ws://" + hosts[0] + "/workspace/ws?username=p" + run));
        publisher.nextContaining("\"connected\"", Duration.ofSeconds(20));
        // let the instances' views of each other settle (the connections' announcements cross the backplane)
        Thread.sleep(1000);
        int sent = 0;
        int measuredSent = 0;
        long start = System.nanoTime();
        long measureFrom = start + warmup * 1_000_000_000L;
        long end = measureFrom + duration * 1_000_000_000L;
        long[] cpuBefore = null;
        long cpuNanosFrom = 0;
        double cpuPct = -1;
        boolean inWindow = false;
        while (true) {
            long now = System.nanoTime();
            if (now >= end) {
                break;
            }
            if (!inWindow && now >= measureFrom) {
                inWindow = true;
                localLatency.getIntervalHistogram();
                remoteLatency.getIntervalHistogram();
                cpuBefore = ticks(pids);
                cpuNanosFrom = System.nanoTime();
                windowOpen.set(System.nanoTime() | 1); // never 0
            }
            long due = (now - start) * rate / 1_000_000_000L;
            while (sent < due) {
                publisher.ws.sendText("{\"type\":\"message:send\",\"text\":\"t=" + System.nanoTime() + ";s=" + sent + "\"}", true).join();
                sent++;
                if (inWindow) {
                    measuredSent++;
                }
            }
            Thread.sleep(1);
        }
        windowClosed.set(true);
        long deliveredInWindow = windowCount.get();
        if (cpuBefore != null) {
            long[] cpuAfter = ticks(pids);
            double seconds = (System.nanoTime() - cpuNanosFrom) / 1e9;
            long used = 0;
            for (int i = 0; i < cpuAfter.length; i++) {
                used += cpuAfter[i] - cpuBefore[i];
            }
            cpuPct = cpuAfter.length == 0 ? -1 : Math.round((double) used / hz / seconds * 1000) / 10.0;
        }
        long expectedAll = (long) sent * conns;
        // drain: until everything arrived, or nothing more arrived for `drain` seconds (what is missing then is
        // lost, not late), at most drainMax seconds
        long drainStart = System.nanoTime();
        long hardDeadline = drainStart + drainMax * 1_000_000_000L;
        long lastCount = -1;
        long lastProgress = drainStart;
        while (System.nanoTime() < hardDeadline) {
            long count = distinct(subscribers);
            if (count >= expectedAll) {
                break;
            }
            if (count != lastCount) {
                lastCount = count;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > drain * 1_000_000_000L) {
                break;
            }
            Thread.sleep(50);
        }
        double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
        Histogram local = localLatency.getIntervalHistogram();
        Histogram remote = remoteLatency.getIntervalHistogram();
        Histogram all = local.copy();
        all.add(remote);
        long distinct = 0;
        long duplicates = 0;
        long foreign = 0;
        int incomplete = 0;
        java.util.Map<Integer, Integer> closes = new java.util.TreeMap<>();
        for (Subscriber s : subscribers) {
            if (s.closedWith != 0) {
                closes.merge(s.closedWith, 1, Integer::sum);
            }
            synchronized (s) {
                int got = s.seen.get(0, sent).cardinality();
                distinct += got;
                duplicates += s.duplicates;
                foreign += s.foreign + s.seen.get(sent, Integer.MAX_VALUE).cardinality();
                if (got < sent) {
                    incomplete++;
                }
            }
        }
        for (WebSocket ws : sockets) {
            ws.abort();
        }
        publisher.ws.abort();
        long expectedWindow = (long) measuredSent * conns;
        JsonArrayBuilder hostList = Json.createArrayBuilder();
        for (String h : hosts) {
            hostList.add(h);
        }
        return Bench.result("cluster").add("instances", hosts.length).add("hosts", hostList).add("conns", conns)
                .add("rate", rate).add("duration", duration).add("warmup", warmup)
                .add("sent", sent).add("sentMeasured", measuredSent)
                .add("expectedDeliveries", expectedAll).add("delivered", distinct).add("lost", expectedAll - distinct)
                .add("duplicates", duplicates).add("unexpected", foreign).add("subscribersMissingSome", incomplete)
                .add("subscribersClosedByServer", closed(closes))
                .add("deliveryRatio", expectedAll == 0 ? 0 : UploadScenario.round((double) distinct / expectedAll))
                .add("deliveredPerSec", deliveredInWindow / Math.max(1, duration))
                .add("expectedPerSec", expectedWindow / Math.max(1, duration))
                .add("serverCpuPct", cpuPct)
                .add("connectSeconds", UploadScenario.round(connectSeconds)).add("drainSeconds", UploadScenario.round(drainSeconds))
                .add("loadAverage", load)
                .add("latencyMs", Latency.of(all)).add("latencyLocalMs", Latency.of(local))
                .add("latencyRemoteMs", Latency.of(remote)).build();
    }

    /** Close code to count, e.g. {"1013": 12}: a subscriber the server closed gets nothing after it, so its losses are explained. */
    private static JsonObject closed(java.util.Map<Integer, Integer> closes) {
        var b = Json.createObjectBuilder();
        closes.forEach((code, n) -> b.add(String.valueOf(code), n));
        return b.build();
    }

    /** The machine's 1/5/15-minute load averages when the run started (a shared machine: others' load shows here). */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException | RuntimeException e) {
            return "?";
        }
    }

    private static long distinct(List<Subscriber> subscribers) {
        long n = 0;
        for (Subscriber s : subscribers) {
            synchronized (s) {
                n += s.seen.cardinality();
            }
        }
        return n;
    }

    /** utime + stime of each process, in clock ticks (empty without pids). */
    private static long[] ticks(String pids) {
        if (pids.isBlank()) {
            return new long[0];
        }
        String[] ids = pids.split(",");
        long[] out = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            try {
                String stat = Files.readString(Path.of("/proc", ids[i].trim(), "stat"));
                // fields after the command name, which is in parentheses and may hold spaces
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                out[i] = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            } catch (java.io.IOException | RuntimeException e) {
                out[i] = 0;
            }
        }
        return out;
    }
}
