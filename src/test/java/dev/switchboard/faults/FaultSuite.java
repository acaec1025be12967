package dev.switchboard.faults;

import dev.switchboard.it.Api;
import dev.switchboard.it.AppServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fault suite: fuzzing, stalled clients, kill -9 rounds and the soak against real servers, with a report. The same code
 * runs small in the test command ({@code FaultSuiteIT}, behaviour only) and long from {@code src/faults/run.sh}
 * ({@code -Dfaults.mode=long}). Every part adds its figures to {@link #report} and what went wrong to
 * {@link #failures}; the IT fails on any failure, the long run prints them.
 */
public final class FaultSuite {

    final boolean longMode = "long".equals(System.getProperty("faults.mode", "short"));
    final StringBuilder report = new StringBuilder();
    final List<String> failures = new ArrayList<>();

    long prop(String key, long shortValue, long longValue) {
        return Long.getLong("faults." + key, longMode ? longValue : shortValue);
    }

    /** The server the fuzzer and the stalled clients meet: rate limits raised so that every frame is processed. */
    static Map<String, String> raisedLimits() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("NODE_RATE_LIMIT_PER_SECOND", "1000000");
        env.put("VAULT_RATE_LIMIT_PER_SECOND", "1000000");
        env.put("RTC_RATE_LIMIT_PER_SECOND", "1000000");
        env.put("RTC_RATE_LIMIT_BURST", "1000000");
        env.put("WORKSPACE_RATE_LIMIT_PER_SECOND", "1000000");
        env.put("WORKSPACE_RATE_LIMIT_BURST", "1000000");
        env.put("NODE_STATUS_INTERVAL_SECONDS", "2");
        env.put("METRICS_INTERVAL_SECONDS", "2");
        env.put("AGENT_HEARTBEAT_INTERVAL_SECONDS", "2");
        env.put("WORKSPACE_MAX_CONNECTIONS_PER_USER", "50");
        return env;
    }

    // ---------------------------------------------------------------- fuzzing

    void fuzz(AppServer server) throws Exception {
        long perDialect = prop("fuzz.frames", 1500, 100_000);
        int connections = (int) prop("fuzz.connections", 2, 4);
        String token = Api.adminToken(server);
        List<Target> targets = Target.all(token);
        List<Bystander> bystanders = new ArrayList<>();
        for (Target t : targets) {
            bystanders.add(Bystander.open(server, t, token));
        }
        Heap.gc(server);
        long heapBefore = Heap.used(server);
        // -Dfaults.fuzz.heap-dumps=<dir>: the live heap before and after, for a look at what the fuzz left behind
        String dumps = System.getProperty("faults.fuzz.heap-dumps");
        if (dumps != null) {
            Heap.dump(server, Path.of(dumps, "fuzz-before-" + System.currentTimeMillis() + ".hprof"));
        }
        int logFrom = server.log().length();

        List<Fuzzer> fuzzers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long seed = Long.getLong("faults.seed", System.currentTimeMillis());
        for (Target t : targets) {
            Fuzzer f = new Fuzzer(t, server.port(), perDialect, connections);
            fuzzers.add(f);
            Thread th = new Thread(() -> {
                try {
                    f.run(seed + t.name().hashCode());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }

        // every fuzz connection still open answers a ping
        Map<String, int[]> ends = new TreeMap<>();
        for (Fuzzer f : fuzzers) {
            int[] e = new int[2];
            for (FaultSocket ws : f.open) {
                if (!ws.closed() && ws.ping(15_000)) {
                    e[0]++;
                } else {
                    e[1]++;
                    failures.add(f.target.name() + ": a fuzz connection did not answer the final ping (close " + ws.closeCode + ")");
                }
                ws.close();
            }
            ends.put(f.target.name(), e);
        }
        // the bystanders: still open, answering, still getting pushes
        for (Bystander b : bystanders) {
            b.check(server, token);
            failures.addAll(b.failures);
            b.close();
        }
        // what the closed fuzz connections leave must go: Payara's request cache would keep their buffers
        long sessionsLeft = Heap.closedSessionsLeft(server);
        if (sessionsLeft > 0) {
            failures.add("fuzz: " + sessionsLeft + " Tyrus sessions of closed connections still on the heap 30 s after they closed");
        }
        Heap.gc(server);
        long heapAfter = Heap.used(server);
        if (dumps != null) {
            Heap.dump(server, Path.of(dumps, "fuzz-after-" + System.currentTimeMillis() + ".hprof"));
        }
        String histogram = Heap.histogram(server, 12);
        ServerLog.Scan scan = ServerLog.scan(server.log().substring(logFrom));
        for (String fault : scan.faults()) {
            failures.add("server log: " + fault);
        }

        report.append("## Fuzzing\n\n");
        report.append(String.format("%,d frames per dialect from %d connections each at once (seed %d), rate limits raised; "
                + "after every step a barrier (an unknown type whose error echoes a sequence number) marks the end of its answers.%n%n",
                perDialect, connections, seed));
        report.append("| dialect | frames | MB sent | s | frames/s | reconnects | close codes | open at end (answer ping / not) | bystander pushes | bystander at end |\n|---|---|---|---|---|---|---|---|---|---|\n");
        for (int i = 0; i < fuzzers.size(); i++) {
            Fuzzer f = fuzzers.get(i);
            Bystander b = bystanders.get(i);
            double s = f.elapsedNanos / 1e9;
            report.append(String.format("| %s | %,d | %.1f | %.1f | %,.0f | %d | %s | %d / %d | %,d | %s |%n", f.target.name(), f.sent.get(),
                    f.bytes.sum() / 1e6, s, f.sent.get() / s, f.reconnects.sum(), f.closeCodes(), ends.get(f.target.name())[0],
                    ends.get(f.target.name())[1], b.pushes, b.failures.isEmpty() ? "open, answered, pushed" : "FAILED"));
        }
        report.append("\nPer mutation class (all dialects): sent, error frames expected where the spec says so, answered; close codes.\n\n");
        report.append("| class | sent | errors expected | answered | error frames (all) | closes |\n|---|---|---|---|---|---|\n");
        Map<String, long[]> classes = new TreeMap<>();
        Map<String, Map<Integer, Long>> closes = new TreeMap<>();
        for (Fuzzer f : fuzzers) {
            f.kinds.forEach((name, k) -> {
                long[] c = classes.computeIfAbsent(name, x -> new long[4]);
                c[0] += k.sent.sum();
                c[1] += k.expectedErrors.sum();
                c[2] += k.answeredErrors.sum();
                c[3] += k.anyErrors.sum();
                k.closes.forEach((code, n) -> closes.computeIfAbsent(name, x -> new TreeMap<>()).merge(code, n.sum(), Long::sum));
            });
        }
        classes.forEach((name, c) -> report.append(String.format("| %s | %,d | %,d | %,d | %,d | %s |%n", name, c[0], c[1], c[2], c[3],
                closes.getOrDefault(name, Map.of()))));
        report.append(String.format("%nServer log during the fuzz: %d WARNING, %d SEVERE records; faults (a trace, an exception or an "
                + "ops.fault incident): %d.%n", scan.warnings(), scan.severe(), scan.faults().size()));
        report.append(String.format("Heap used after a full GC (jcmd GC.run, then /metrics jvm_memory_heap_used_bytes): %.1f MB before, "
                + "%.1f MB after (%+.1f MB); Tyrus sessions of closed connections left on the heap: %s. Largest classes after "
                + "(jcmd GC.class_histogram):%n%n```%n%s```%n%n", heapBefore / 1e6, heapAfter / 1e6,
                (heapAfter - heapBefore) / 1e6, sessionsLeft < 0 ? "not counted (not Payara)" : String.valueOf(sessionsLeft), histogram));
        for (Fuzzer f : fuzzers) {
            f.failures.stream().limit(20).forEach(x -> failures.add("fuzz " + f.target.name() + ": " + x));
            if (f.failures.size() > 20) {
                failures.add("fuzz " + f.target.name() + ": ... " + (f.failures.size() - 20) + " more");
            }
        }
    }

    // ---------------------------------------------------------------- floods at the default limits

    void floods(AppServer server) throws Exception {
        String token = Api.adminToken(server);
        report.append("## Floods at the default rate limits\n\n| dialect | sent as fast as possible | answered | rate-limit frames | open after |\n|---|---|---|---|---|\n");
        int logFrom = server.log().length();
        record Flood(String name, String path, String message, String answer, String limited) {
        }
        List<Flood> floods = List.of(
                new Flood("node", "/api/ws?token=" + token, "{\"type\":\"ping\"}", "\"type\":\"pong\"", "RATE_LIMITED"),
                new Flood("vault", "/ws", "{\"type\":\"ping\"}", "\"type\":\"pong\"", "RATE_LIMIT_EXCEEDED"),
                new Flood("rtc", "/rtc/ws?token=" + token, "{\"type\":\"Ping\",\"data\":{}}", "\"type\":\"Pong\"", "\"code\":429"),
                new Flood("workspace", "/workspace/ws?username=flood", "{\"type\":\"typing:indicator\",\"isTyping\":true}", "\u0000none", "RATE_LIMITED"));
        int n = (int) prop("flood.frames", 3000, 20_000);
        for (Flood fl : floods) {
            try (FaultSocket ws = FaultSocket.open(server.port(), fl.path())) {
                for (int i = 0; i < n; i++) {
                    ws.sendText(fl.message());
                }
                boolean pong = ws.ping(30_000);
                int answers = 0;
                int limited = 0;
                FaultSocket.Frame f;
                while ((f = ws.next(2000)) != null && f != FaultSocket.EOF && f.opcode() != 8) {
                    String text = f.text();
                    if (text.contains(fl.answer())) {
                        answers++;
                    } else if (text.contains(fl.limited())) {
                        limited++;
                    }
                }
                boolean open = pong && !ws.closed();
                report.append(String.format("| %s | %,d | %,d | %d | %s |%n", fl.name(), n, answers, limited, open ? "yes" : "NO (" + ws.closeCode + ")"));
                if (limited == 0) {
                    failures.add("flood " + fl.name() + ": no rate-limit answer to " + n + " messages");
                }
                if (!open) {
                    failures.add("flood " + fl.name() + ": the flooding connection was closed (" + ws.closeCode + ")");
                }
            }
        }
        ServerLog.Scan scan = ServerLog.scan(server.log().substring(logFrom));
        scan.faults().forEach(x -> failures.add("server log (floods): " + x));
        report.append(String.format("%nServer faults in the log during the floods: %d.%n%n", scan.faults().size()));
    }

    void stall(AppServer server) throws Exception {
        new Stall(this).run(server);
    }

    void soak(AppServer server) throws Exception {
        new Soak(this).run(server);
    }

    /**
     * Chat throughput: one publisher posts as fast as it can, ten subscribers read; messages per second until every
     * subscriber had every message (for chat.store.announce after-store against write-behind; reported only).
     */
    void chatThroughput(AppServer server) throws Exception {
        int n = (int) prop("chat.messages", 3000, 20_000);
        int readers = 10;
        java.util.concurrent.atomic.AtomicLong got = new java.util.concurrent.atomic.AtomicLong();
        List<FaultSocket> subs = new ArrayList<>();
        for (int i = 0; i < readers; i++) {
            FaultSocket ws = FaultSocket.open(server.port(), "/workspace/ws?username=tp" + i);
            ws.listener = f -> {
                if (f.text().contains("\"type\":\"message:new\"") && f.text().contains("tput ")) {
                    got.incrementAndGet();
                }
            };
            subs.add(ws);
        }
        try (FaultSocket pub = FaultSocket.open(server.port(), "/workspace/ws?username=tp-pub")) {
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                pub.sendText("{\"type\":\"message:send\",\"text\":\"tput " + i + "\"}");
            }
            long deadline = start + 60_000_000_000L;
            while (got.get() < (long) n * readers && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            double s = (System.nanoTime() - start) / 1e9;
            report.append(String.format("### Chat throughput%n%n%,d messages posted back to back by one client, %d readers: %,d of %,d deliveries "
                    + "in %.2f s, %,.0f messages/s.%n%n", n, readers, got.get(), (long) n * readers, s, n / s));
            // a figure, not a check (the stalled-client phases check that every reader gets everything); one short
            // run counted 29,999 of 30,000 here while the server's per-connection frames_out said all were written:
            // reported, to be explained, not failed
            if (got.get() < (long) n * readers) {
                report.append(String.format("**%,d deliveries not counted by the client** (see FaultSuite.chatThroughput).%n%n",
                        (long) n * readers - got.get()));
            }
        } finally {
            subs.forEach(FaultSocket::close);
        }
    }

    void kill(AppServer server, boolean firstRoundWriteBehind) throws Exception {
        new KillRounds(this, firstRoundWriteBehind).run(server);
    }

    // ---------------------------------------------------------------- the report

    Path writeReport() throws IOException {
        StringBuilder out = new StringBuilder("# Fault suite report (" + (longMode ? "long" : "short") + " run, "
                + Instant.now() + ")\n\n");
        out.append(report);
        out.append("## Result\n\n");
        if (failures.isEmpty()) {
            out.append("No failures: no server fault in the logs, no bystander lost, every close documented, every determinable error answered.\n");
        } else {
            out.append(failures.size()).append(" failure(s):\n\n");
            failures.forEach(f -> out.append("- ").append(f.replace('\n', ' ')).append('\n'));
        }
        Path dir = Path.of(System.getProperty("faults.report-dir", "target/faults"));
        Files.createDirectories(dir);
        Path file = dir.resolve("report-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now()) + ".md");
        Files.writeString(file, out);
        System.out.println(out);
        System.out.println("faults.report " + file.toAbsolutePath());
        return file;
    }
}
