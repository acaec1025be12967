package dev.switchboard.faults;

import dev.switchboard.it.Api;
import dev.switchboard.it.AppServer;
import dev.switchboard.it.Tokens;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak (issue 17): a steady chat fan-out at half the saturation rate, with connections churning, for an hour
 * (long run) or half a minute (the test command). One publisher posts to N workspace subscribers, of which a share
 * connect, stay a random while and reconnect, over and over; beside it rtc connections come and go sending direct
 * messages to a user who stays, vault and node connections come and go, node ones uploading small files. Every
 * interval the server is sampled: resident set, heap used after a full GC, the live-heap histogram, open
 * connections, threads and file descriptors.
 *
 * <p>Judged: no drops (a subscriber that stayed connected got every message, none twice; a churning one every
 * message published between its {@code connected} and the moment it decided to leave; every acknowledged direct
 * message arrived once; every upload completed with its hash), no server fault in the log, every connection gone
 * from the server's gauge once the clients left, and, in the long run only (a short run has too few samples for a
 * trend), the resident set and the post-GC heap flat over the second half (least-squares slope within
 * {@code faults.soak.rss-slope-mb-per-hour} and {@code faults.soak.heap-slope-mb-per-hour}) and no class of the
 * histogram growing at every sample of the second half. No time is judged: latency is reported only.
 */
final class Soak {

    /** The publisher's marker: {@code sk#<seq> <nanoTime> <padding>}. */
    private static final Pattern SEQ = Pattern.compile("sk#(\\d+) (\\d+) ");
    private static final Pattern DM = Pattern.compile("sdm-(\\d+)\"");

    private final FaultSuite suite;
    /** Sequence numbers handed out: a message with a number at or past this one has not started going out. */
    private final AtomicInteger attempted = new AtomicInteger();
    /** Messages whose send returned: every number below this one has been written to the server. */
    private final AtomicInteger published = new AtomicInteger();
    private final Histogram latency = new ConcurrentHistogram(3);
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean stopping;

    // churn and side-traffic tallies
    private final AtomicLong churnSessions = new AtomicLong();
    private final AtomicLong churnExpected = new AtomicLong();
    private final AtomicLong churnMissing = new AtomicLong();
    private final AtomicLong churnDoubled = new AtomicLong();
    private final AtomicLong churnClosedByServer = new AtomicLong();
    private final Map<String, AtomicLong> sideCycles = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> sideFailed = new ConcurrentHashMap<>();
    private final Set<Integer> dmAcked = ConcurrentHashMap.newKeySet();
    private final Map<Integer, AtomicInteger> dmReceived = new ConcurrentHashMap<>();
    private final AtomicLong publisherErrors = new AtomicLong();

    Soak(FaultSuite suite) {
        this.suite = suite;
    }

    /**
     * What one workspace connection got of the publisher's messages. The window of what it must get opens when its
     * {@code connected} arrives (every number not yet handed out then) and closes when it decides to leave (every
     * number whose send had returned then); numbers outside it may come or not, but nothing may come twice.
     */
    final class Window {
        private final BitSet seen = new BitSet();
        private int doubled;
        private int from = -1;
        private int to = Integer.MAX_VALUE;
        private int highest = -1;
        private final boolean timed;

        Window(boolean timed) {
            this.timed = timed;
        }

        synchronized void accept(FaultSocket.Frame f) {
            String text = f.text();
            if (from < 0 && text.contains("\"type\":\"connected\"")) {
                from = attempted.get();
                return;
            }
            if (!text.contains("\"type\":\"message:new\"")) {
                return;
            }
            Matcher m = SEQ.matcher(text);
            if (!m.find()) {
                return;
            }
            int seq = Integer.parseInt(m.group(1));
            if (seen.get(seq)) {
                doubled++;
            }
            seen.set(seq);
            highest = Math.max(highest, seq);
            if (timed) {
                latency.recordValue(Math.max(0, System.nanoTime() - Long.parseLong(m.group(2))) / 1000);
            }
        }

        synchronized boolean connected() {
            return from >= 0;
        }

        /** Closes the window at what has been published now. */
        synchronized void close() {
            to = published.get() - 1;
        }

        /** Whether the last message of the window (or a later one) arrived: one sender's messages come in order. */
        synchronized boolean reached() {
            return to < from || highest >= to;
        }

        synchronized long expected() {
            return from < 0 ? 0 : Math.max(0, to - from + 1);
        }

        synchronized long missing() {
            if (from < 0 || to < from) {
                return expected();
            }
            return (to - from + 1) - seen.get(from, to + 1).cardinality();
        }

        synchronized int doubled() {
            return doubled;
        }
    }

    /** One sample of the server. */
    record Sample(double t, long rss, long heap, long connections, long threads, long fds, long delivered,
                  long churnSessions, Map<String, long[]> classes) {
    }

    void run(AppServer server) throws Exception {
        long seconds = suite.prop("soak.seconds", 30, 3600);
        long interval = suite.prop("soak.interval-seconds", 10, 60);
        int subscribers = (int) suite.prop("soak.subscribers", 100, 1000);
        int churners = (int) suite.prop("soak.churners", 20, 100);
        int rate = (int) suite.prop("soak.rate", 20, 50);
        long minLife = suite.prop("soak.churn.min-seconds", 2, 10);
        long maxLife = suite.prop("soak.churn.max-seconds", 8, 60);
        double sideRate = suite.prop("soak.side-per-second", 2, 2);
        long keepalive = suite.prop("soak.keepalive-seconds", 240, 240);
        double rssBound = suite.prop("soak.rss-slope-mb-per-hour", 64, 64);
        double heapBound = suite.prop("soak.heap-slope-mb-per-hour", 16, 16);
        int stable = subscribers - churners;

        String token = Api.adminToken(server);
        long files = KillRounds.service(server, token, "{\"name\":\"soak-files\",\"type\":\"DATA\",\"description\":\"soak uploads\"}");
        Tokens tokens = new Tokens(server);
        Date exp = new Date(System.currentTimeMillis() + (seconds + 1800) * 1000);
        String receiverToken = tokens.rs256(cl -> cl.subject("soak-dm-to").claim("upn", "soak-dm-to").claim("groups", List.of("user")).expirationTime(exp));
        String senderToken = tokens.rs256(cl -> cl.subject("soak-dm-from").claim("upn", "soak-dm-from").claim("groups", List.of("user")).expirationTime(exp));
        String nodeToken = tokens.rs256(cl -> cl.subject("soak-node").claim("upn", "soak-node").expirationTime(exp));
        int logFrom = server.log().length();
        List<Sample> samples = new ArrayList<>();

        List<FaultSocket> stableSockets = new ArrayList<>();
        List<Window> stableWindows = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        FaultSocket receiver = null;
        FaultSocket publisher = null;
        long start = System.nanoTime();
        long stableClosed = 0;
        try {
            for (int i = 0; i < stable; i++) {
                Window w = new Window(true);
                stableWindows.add(w);
                stableSockets.add(FaultSocket.open(server.port(), "/workspace/ws?username=soak-sub-" + i, w::accept));
            }
            receiver = FaultSocket.open(server.port(), "/rtc/ws?token=" + receiverToken, f -> {
                Matcher m = DM.matcher(f.text());
                if (f.text().contains("\"type\":\"DirectMessage\"") && m.find()) {
                    dmReceived.computeIfAbsent(Integer.parseInt(m.group(1)), x -> new AtomicInteger()).incrementAndGet();
                }
            });
            publisher = FaultSocket.open(server.port(), "/workspace/ws?username=soak-pub", f -> {
                if (f.text().contains("\"type\":\"error\"")) {
                    publisherErrors.incrementAndGet();
                    if (publisherErrors.get() <= 5) {
                        failures.add("the publisher got " + Fuzzer.abbreviate(f.text()));
                    }
                }
            });
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (stableWindows.stream().anyMatch(w -> !w.connected()) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            if (stableWindows.stream().anyMatch(w -> !w.connected())) {
                failures.add("not every stable subscriber got its connected within 60 s");
            }
            start = System.nanoTime();
            samples.add(sample(server, start, stableWindows));

            FaultSocket pub = publisher;
            String pad = "p".repeat(60);
            threads.add(new Thread(() -> {
                long t0 = System.nanoTime();
                try {
                    for (int i = 0; !stopping; i++) {
                        long due = t0 + (long) i * 1_000_000_000L / rate;
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                        int seq = attempted.getAndIncrement();
                        pub.sendText("{\"type\":\"message:send\",\"text\":\"sk#" + seq + " " + System.nanoTime() + " " + pad + "\"}");
                        published.incrementAndGet();
                    }
                } catch (Exception e) {
                    failures.add("publisher: " + e);
                }
            }, "soak-publisher"));
            for (int c = 0; c < churners; c++) {
                int slot = c;
                threads.add(new Thread(() -> churn(server, slot, minLife, maxLife), "soak-churn-" + c));
            }
            threads.add(new Thread(() -> side(server, sideRate, senderToken, nodeToken, files), "soak-side"));
            threads.add(new Thread(() -> keepalive(stableSockets, keepalive), "soak-keepalive"));
            threads.forEach(Thread::start);

            long end = start + seconds * 1_000_000_000L;
            for (long next = start + interval * 1_000_000_000L; next <= end; next += interval * 1_000_000_000L) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000);
                }
                samples.add(sample(server, start, stableWindows));
            }
            long wait = end - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000);
            }
            stopping = true;
            for (Thread t : threads) {
                t.join(120_000);
            }
            // the stable subscribers: every message published, in a bounded wait (the figure is the behaviour)
            stableWindows.forEach(Window::close);
            deadline = System.nanoTime() + 120_000_000_000L;
            while (stableWindows.stream().anyMatch(w -> !w.reached()) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            deadline = System.nanoTime() + 30_000_000_000L;
            while (!dmReceived.keySet().containsAll(dmAcked) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            // closed by the server before the clients' own close (which ends every socket)
            stableClosed = stableSockets.stream().filter(FaultSocket::closed).count();
        } finally {
            stopping = true;
            stableSockets.forEach(FaultSocket::close);
            if (receiver != null) {
                receiver.close();
            }
            if (publisher != null) {
                publisher.close();
            }
        }
        long stableMissing = stableWindows.stream().mapToLong(Window::missing).sum();
        long stableDoubled = stableWindows.stream().mapToLong(Window::doubled).sum();
        long stableExpected = stableWindows.stream().mapToLong(Window::expected).sum();

        // every connection gone from the server once the clients left (bounded wait)
        long deadline = System.nanoTime() + 60_000_000_000L;
        long open;
        while ((open = connections(server)) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        if (open > 0) {
            failures.add(open + " connections still open on the server 60 s after every client closed");
        }
        Sample after = sample(server, start, stableWindows);
        long sessionsLeft = Heap.closedSessionsLeft(server);
        if (sessionsLeft > 0) {
            failures.add(sessionsLeft + " Tyrus sessions of closed connections still on the heap 30 s after they closed");
        }

        ServerLog.Scan scan = ServerLog.scan(server.log().substring(logFrom));
        scan.faults().forEach(x -> failures.add("server log (soak): " + x));
        long dmMissing = dmAcked.stream().filter(id -> !dmReceived.containsKey(id)).count();
        long dmDoubled = dmReceived.values().stream().filter(n -> n.get() > 1).count();
        if (stableMissing > 0 || stableDoubled > 0 || stableClosed > 0) {
            failures.add(String.format("stable subscribers: %d deliveries missing, %d doubled, %d closed by the server", stableMissing, stableDoubled,
                    stableClosed));
        }
        if (churnMissing.get() > 0 || churnDoubled.get() > 0 || churnClosedByServer.get() > 0) {
            failures.add(String.format("churning subscribers: %d deliveries missing, %d doubled, %d sessions closed by the server",
                    churnMissing.get(), churnDoubled.get(), churnClosedByServer.get()));
        }
        if (dmMissing > 0 || dmDoubled > 0) {
            failures.add(String.format("direct messages: %d acknowledged, %d not delivered, %d delivered twice", dmAcked.size(), dmMissing, dmDoubled));
        }

        report(samples, after, seconds, interval, subscribers, churners, rate, minLife, maxLife, sideRate, rssBound, heapBound,
                stableExpected, stableMissing, stableDoubled, stableClosed, dmMissing, dmDoubled, scan);
        if (sessionsLeft >= 0) {
            suite.report.append(String.format("Tyrus sessions of closed connections left on the heap after the clients left: %d.%n%n", sessionsLeft));
        }
        failures.stream().limit(30).forEach(f -> suite.failures.add("soak: " + f));
        if (failures.size() > 30) {
            suite.failures.add("soak: ... " + (failures.size() - 30) + " more");
        }
    }

    // ---------------------------------------------------------------- the load

    /** One churning subscriber slot: connect, stay a random while, check its window, leave, again. */
    private void churn(AppServer server, int slot, long minLife, long maxLife) {
        Random random = new Random(slot * 7919L);
        try {
            while (!stopping) {
                Window w = new Window(false);
                FaultSocket ws = FaultSocket.open(server.port(), "/workspace/ws?username=soak-churn-" + slot, w::accept);
                try {
                    long life = (minLife * 1000 + (long) (random.nextDouble() * (maxLife - minLife) * 1000));
                    long until = System.currentTimeMillis() + life;
                    while (!stopping && System.currentTimeMillis() < until && !ws.closed()) {
                        Thread.sleep(Math.min(200, Math.max(1, until - System.currentTimeMillis())));
                    }
                    // a short life (or the soak's end) may come before the welcome on a loaded machine: that is
                    // no fault, a welcome that never comes is (bounded, so that it fails instead of hanging)
                    long welcome = System.nanoTime() + 30_000_000_000L;
                    while (!w.connected() && !ws.closed() && System.nanoTime() < welcome) {
                        Thread.sleep(20);
                    }
                    if (ws.closed()) {
                        churnClosedByServer.incrementAndGet();
                        failures.add("churning subscriber soak-churn-" + slot + " closed by the server: " + ws.closeCode);
                    }
                    if (!w.connected()) {
                        failures.add("churning subscriber soak-churn-" + slot + " got no connected within 30 s of its life's end");
                    }
                    w.close();
                    long deadline = System.nanoTime() + 30_000_000_000L;
                    while (!w.reached() && !ws.closed() && System.nanoTime() < deadline) {
                        Thread.sleep(20);
                    }
                } finally {
                    ws.close();
                }
                churnSessions.incrementAndGet();
                churnExpected.addAndGet(w.expected());
                churnMissing.addAndGet(w.missing());
                churnDoubled.addAndGet(w.doubled());
                Thread.sleep(random.nextInt(1000));
            }
        } catch (Exception e) {
            failures.add("churning subscriber soak-churn-" + slot + ": " + e);
        }
    }

    /**
     * Short-lived connections of the other dialects, in turn, at {@code perSecond}: rtc (a direct message to the user
     * who stays, acknowledged with its {@code delivered_to}, then Ping/Pong), vault (subscribe, ping/pong), node
     * (ping/pong), node with an upload of a small file (two chunks; completed with the file's hash).
     */
    private void side(AppServer server, double perSecond, String senderToken, String nodeToken, long files) {
        String[] kinds = {"rtc", "vault", "node", "upload"};
        long t0 = System.nanoTime();
        Random random = new Random(17);
        for (int n = 0; !stopping; n++) {
            long due = t0 + (long) (n * 1e9 / perSecond);
            long wait = due - System.nanoTime();
            try {
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000);
                }
                String kind = kinds[n % kinds.length];
                sideCycles.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
                String problem = switch (kind) {
                    case "rtc" -> rtc(server, senderToken, n);
                    case "vault" -> exchange(server, "/ws", "{\"type\":\"subscribe\",\"topic\":\"system\"}", "{\"type\":\"ping\"}", "\"type\":\"pong\"");
                    case "node" -> exchange(server, "/api/ws?token=" + nodeToken, null, "{\"type\":\"ping\"}", "\"type\":\"pong\"");
                    default -> upload(server, nodeToken, files, n, random);
                };
                if (problem != null) {
                    sideFailed.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
                    failures.add(kind + " connection " + n + ": " + problem);
                }
            } catch (Exception e) {
                sideFailed.computeIfAbsent(kinds[n % kinds.length], k -> new AtomicLong()).incrementAndGet();
                failures.add(kinds[n % kinds.length] + " connection " + n + ": " + e);
            }
        }
    }

    private String rtc(AppServer server, String token, int n) throws Exception {
        try (FaultSocket ws = FaultSocket.open(server.port(), "/rtc/ws?token=" + token)) {
            String id = "sdm-" + n;
            ws.sendText("{\"type\":\"DirectMessage\",\"id\":\"" + id + "\",\"data\":{\"target_user\":\"soak-dm-to\",\"payload\":{\"n\":" + n + "}}}");
            String ack = await(ws, "\"message_id\":\"" + id + "\"", 30_000);
            if (ack == null || !ack.contains("\"type\":\"Ack\"") || ack.contains("\"delivered_to\":[]")) {
                return "direct message not acknowledged as delivered: " + (ack == null ? "no answer" : Fuzzer.abbreviate(ack));
            }
            dmAcked.add(n);
            ws.sendText("{\"type\":\"Ping\",\"data\":{\"timestamp\":" + n + "}}");
            return await(ws, "\"type\":\"Pong\"", 30_000) == null ? "no Pong" : null;
        }
    }

    private String exchange(AppServer server, String path, String first, String ping, String pong) throws Exception {
        try (FaultSocket ws = FaultSocket.open(server.port(), path)) {
            if (first != null) {
                ws.sendText(first);
            }
            ws.sendText(ping);
            return await(ws, pong, 30_000) == null ? "no " + pong : null;
        }
    }

    private String upload(AppServer server, String token, long files, int n, Random random) throws Exception {
        byte[] data = new byte[KillRounds.CHUNK + 1 + random.nextInt(KillRounds.CHUNK - 1)];
        random.nextBytes(data);
        try (FaultSocket ws = FaultSocket.open(server.port(), "/api/ws?token=" + token)) {
            var started = KillRounds.upload(ws, "file.upload.start", "{\"service_id\":" + files + ",\"upload_group_id\":\"soak-" + n
                    + "\",\"filename\":\"f.bin\",\"file_path\":\"soak/" + (n % 8) + ".bin\",\"file_index\":0,\"total_files\":1,\"total_size\":"
                    + data.length + ",\"total_chunks\":2,\"chunk_size\":" + KillRounds.CHUNK + "}");
            if (!started.getString("type").equals("file.upload.progress")) {
                return "upload start answered " + started;
            }
            String session = started.getJsonObject("payload").getString("session_id");
            KillRounds.upload(ws, "file.upload.chunk", KillRounds.chunk(session, 0, data));
            var last = KillRounds.upload(ws, "file.upload.chunk", KillRounds.chunk(session, 1, data));
            String complete = last.getString("type").equals("file.upload.complete") ? last.toString() : await(ws, "file.upload.complete", 30_000);
            return complete != null && complete.contains(KillRounds.sha256(data)) ? null : "upload not completed with its hash: " + last;
        }
    }

    /**
     * A workspace connection that sends nothing for {@code workspace.idle-timeout-seconds} (300) is closed: each
     * stable subscriber says {@code presence:update} once every {@code period} seconds, spread over the period.
     */
    private void keepalive(List<FaultSocket> sockets, long period) {
        if (sockets.isEmpty()) {
            return;
        }
        try {
            for (long n = 0; !stopping; n++) {
                Thread.sleep(Math.max(1, period * 1000 / Math.max(1, sockets.size())));
                FaultSocket ws = sockets.get((int) (n % sockets.size()));
                if (!ws.closed()) {
                    ws.sendText("{\"type\":\"presence:update\",\"status\":\"online\"}");
                }
            }
        } catch (Exception e) {
            failures.add("keepalive: " + e);
        }
    }

    private static String await(FaultSocket ws, String text, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            FaultSocket.Frame f = ws.next(Math.max(1, deadline - System.currentTimeMillis()));
            if (f == null || f == FaultSocket.EOF || f.opcode() == 8) {
                return null;
            }
            if (f.opcode() == 1 && f.text().contains(text)) {
                return f.text();
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- sampling

    private Sample sample(AppServer server, long start, List<Window> stable) throws Exception {
        Heap.gc(server);
        long heap = Heap.used(server);
        Map<String, long[]> classes = Heap.classes(server);
        long delivered = 0;
        for (Window w : stable) {
            synchronized (w) {
                delivered += w.seen.cardinality();
            }
        }
        return new Sample((System.nanoTime() - start) / 1e9, Heap.rss(server), heap, connections(server), metric(server, "jvm_threads_live"),
                Heap.fds(server), delivered, churnSessions.get(), classes);
    }

    /** Open WebSocket connections, all dialects ({@code switchboard_connections}). */
    static long connections(AppServer server) {
        long n = 0;
        for (String line : Api.get(server, "/metrics").body().split("\n")) {
            if (line.startsWith("switchboard_connections{")) {
                n += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return n;
    }

    private static long metric(AppServer server, String name) {
        for (String line : Api.get(server, "/metrics").body().split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return -1;
    }

    /** Least-squares slope of {@code y} (bytes) over the samples' time, in MB per hour. */
    static double slopeMbPerHour(List<Sample> samples, java.util.function.ToLongFunction<Sample> y) {
        int n = samples.size();
        if (n < 2) {
            return Double.NaN;
        }
        double mt = samples.stream().mapToDouble(Sample::t).average().orElse(0);
        double my = samples.stream().mapToDouble(s -> y.applyAsLong(s) / 1e6).average().orElse(0);
        double num = 0;
        double den = 0;
        for (Sample s : samples) {
            num += (s.t() - mt) * (y.applyAsLong(s) / 1e6 - my);
            den += (s.t() - mt) * (s.t() - mt);
        }
        return den == 0 ? Double.NaN : num / den * 3600;
    }

    /**
     * Classes whose instance count rose at every sample of {@code samples} (at least four of them) by more than a
     * few: name → {first count, last count, last bytes}.
     */
    static Map<String, long[]> growing(List<Sample> samples) {
        Map<String, long[]> out = new TreeMap<>();
        if (samples.size() < 4) {
            return out;
        }
        for (String name : samples.get(samples.size() - 1).classes().keySet()) {
            long previous = -1;
            boolean rising = true;
            for (Sample s : samples) {
                long count = s.classes().getOrDefault(name, new long[2])[0];
                if (count <= previous) {
                    rising = false;
                    break;
                }
                previous = count;
            }
            long first = samples.get(0).classes().getOrDefault(name, new long[2])[0];
            long[] last = samples.get(samples.size() - 1).classes().get(name);
            if (rising && last[0] - first >= 100) {
                out.put(name, new long[] {first, last[0], last[1]});
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- the report

    private void report(List<Sample> samples, Sample after, long seconds, long interval, int subscribers, int churners, int rate,
                        long minLife, long maxLife, double sideRate, double rssBound, double heapBound, long stableExpected,
                        long stableMissing, long stableDoubled, long stableClosed, long dmMissing, long dmDoubled, ServerLog.Scan scan) {
        StringBuilder r = suite.report;
        r.append("## Soak\n\n");
        r.append(String.format("%,d s at %d msg/s from one publisher to %,d workspace subscribers, %d of them churning (each connection "
                + "lives %d–%d s, then the name connects again); beside it, %s connections a second in turn: rtc (a direct message to a user "
                + "who stays, then Ping), vault (subscribe, ping), node (ping), node uploading a small file (2 chunks). A sample every %d s "
                + "(after `jcmd GC.run`): RSS (`/proc` VmRSS), heap used, open connections (`switchboard_connections`), threads, file "
                + "descriptors, deliveries to the stable subscribers, churn sessions so far.%n%n",
                seconds, rate, subscribers, churners, minLife, maxLife, sideRate, interval));
        r.append("| t s | RSS MB | heap after GC MB | connections | threads | fds | delivered (stable) | churn sessions |\n|---|---|---|---|---|---|---|---|\n");
        for (Sample s : samples) {
            row(r, String.format("%.0f", s.t()), s);
        }
        row(r, "after close", after);
        List<Sample> half = samples.stream().filter(s -> s.t() >= seconds / 2.0).toList();
        double rssSlope = slopeMbPerHour(half, Sample::rss);
        double heapSlope = slopeMbPerHour(half, Sample::heap);
        Map<String, long[]> growing = growing(half);
        boolean judged = suite.longMode && half.size() >= 4;
        r.append(String.format("%nSecond half (%d samples from %.0f s): RSS slope %+.1f MB/h (bound ±%.0f), post-GC heap slope %+.1f MB/h "
                + "(bound ±%.0f)%s.%n%n", half.size(), half.isEmpty() ? 0.0 : half.get(0).t(), rssSlope, rssBound, heapSlope, heapBound,
                judged ? "" : " — reported, not judged: too short a run for a trend"));
        if (judged && !(Math.abs(rssSlope) <= rssBound)) {
            failures.add(String.format("RSS not flat over the second half: %+.1f MB/h (bound ±%.0f)", rssSlope, rssBound));
        }
        if (judged && !(Math.abs(heapSlope) <= heapBound)) {
            failures.add(String.format("post-GC heap not flat over the second half: %+.1f MB/h (bound ±%.0f)", heapSlope, heapBound));
        }
        if (growing.isEmpty()) {
            r.append("No class of the live-heap histogram grew at every sample of the second half.\n\n");
        } else {
            r.append("Classes whose instance count grew at every sample of the second half:\n\n| class | instances at its start | at its end | bytes at the end |\n|---|---|---|---|\n");
            growing.forEach((name, g) -> r.append(String.format("| `%s` | %,d | %,d | %,d |%n", name, g[0], g[1], g[2])));
            r.append('\n');
            if (judged) {
                growing.keySet().forEach(name -> failures.add("instances of " + name + " grew at every sample of the second half"));
            }
        }
        r.append("Largest classes at the last sample under load, against the first (instances, MB):\n\n| class | instances first | last | MB first | last |\n|---|---|---|---|---|\n");
        Sample first = samples.get(0);
        Sample last = samples.get(samples.size() - 1);
        last.classes().entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1])).limit(12).forEach(e -> {
            long[] f = first.classes().getOrDefault(e.getKey(), new long[2]);
            r.append(String.format("| `%s` | %,d | %,d | %.1f | %.1f |%n", e.getKey(), f[0], e.getValue()[0], f[1] / 1e6, e.getValue()[1] / 1e6));
        });
        Map<String, String> drops = new LinkedHashMap<>();
        drops.put("stable subscribers", String.format("%,d connections, %,d of %,d deliveries, %,d missing, %,d doubled, %d closed by the server",
                subscribers - churners, stableExpected - stableMissing, stableExpected, stableMissing, stableDoubled, stableClosed));
        drops.put("churning subscribers", String.format("%,d sessions, %,d of %,d deliveries while connected, %,d missing, %,d doubled, %d closed by the server",
                churnSessions.get(), churnExpected.get() - churnMissing.get(), churnExpected.get(), churnMissing.get(), churnDoubled.get(), churnClosedByServer.get()));
        drops.put("direct messages", String.format("%,d acknowledged as delivered, %,d missing, %,d twice", dmAcked.size(), dmMissing, dmDoubled));
        drops.put("publisher", String.format("%,d messages, %,d error frames", published.get(), publisherErrors.get()));
        StringBuilder side = new StringBuilder();
        new TreeMap<>(sideCycles).forEach((k, v) -> side.append(side.isEmpty() ? "" : ", ").append(k).append(' ').append(v.get())
                .append(sideFailed.containsKey(k) ? " (" + sideFailed.get(k).get() + " failed)" : ""));
        drops.put("side connections", side.toString());
        drops.put("latency (stable, publish to receipt)", String.format("p50 %.1f ms, p99 %.1f ms, max %.1f ms (reported only; each sample's full GC pauses the server)",
                latency.getValueAtPercentile(50) / 1000.0, latency.getValueAtPercentile(99) / 1000.0, latency.getMaxValue() / 1000.0));
        r.append("\n| | |\n|---|---|\n");
        drops.forEach((k, v) -> r.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        r.append(String.format("%nServer log during the soak: %d WARNING, %d SEVERE records; faults: %d.%n%n", scan.warnings(), scan.severe(), scan.faults().size()));
    }

    private static void row(StringBuilder r, String t, Sample s) {
        r.append(String.format("| %s | %.1f | %.1f | %,d | %d | %d | %,d | %,d |%n", t, s.rss() / 1e6, s.heap() / 1e6, s.connections(), s.threads(),
                s.fds(), s.delivered(), s.churnSessions()));
    }
}
