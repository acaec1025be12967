package dev.switchboard.faults;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Fuzzes one dialect from several connections at once. Each connection goes in lockstep: a fuzz frame (or a burst of
 * them, sent back to back), then a barrier (an unknown type whose error echoes a sequence number), and everything the
 * server sends before the barrier's answer is the answer to what was sent. A frame that must close the connection
 * is followed by waiting for the close instead, and a new connection takes its place.
 */
final class Fuzzer {

    /** Counts for one mutation class. */
    static final class Kind {
        final LongAdder sent = new LongAdder();
        final LongAdder expectedErrors = new LongAdder();
        final LongAdder answeredErrors = new LongAdder();
        final LongAdder anyErrors = new LongAdder();
        final Map<Integer, LongAdder> closes = new ConcurrentHashMap<>();
    }

    final Target target;
    final int port;
    final long frames;
    final int connections;
    final Map<String, Kind> kinds = new ConcurrentHashMap<>();
    final AtomicLong sent = new AtomicLong();
    final LongAdder bytes = new LongAdder();
    final LongAdder barriers = new LongAdder();
    final LongAdder reconnects = new LongAdder();
    final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    final List<FaultSocket> open = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong seq = new AtomicLong();
    private final AtomicLong names = new AtomicLong();
    volatile long elapsedNanos;

    Fuzzer(Target target, int port, long frames, int connections) {
        this.target = target;
        this.port = port;
        this.frames = frames;
        this.connections = connections;
    }

    private FaultSocket connect() throws IOException {
        String path = target.path();
        if (path.endsWith("username=")) {
            path += "fz" + names.incrementAndGet();
        }
        return FaultSocket.open(port, path);
    }

    /** Runs until {@link #frames} fuzz frames went out over {@link #connections} connections. */
    void run(long seed) throws InterruptedException {
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            long s = seed * 31 + i;
            Thread t = new Thread(() -> loop(s), "fuzz-" + target.name() + "-" + i);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        elapsedNanos = System.nanoTime() - start;
    }

    private void loop(long seed) {
        Mutator mutator = new Mutator(target, seed);
        java.util.Random random = new java.util.Random(seed ^ 0x5eed);
        FaultSocket ws = null;
        try {
            ws = connect();
            while (sent.get() < frames) {
                if (ws.closed()) {
                    failures.add("connection closed unexpectedly with " + ws.closeCode + " (outside any step)");
                    ws.close();
                    ws = connect();
                    reconnects.increment();
                }
                List<Mutator.Fuzz> step = new ArrayList<>();
                step.add(mutator.next());
                boolean burst = random.nextInt(20) == 0 && !step.get(0).expect().name().startsWith("CLOSE");
                if (burst) {
                    // valid and invalid messages back to back, no waiting in between
                    for (int i = 0, n = 1 + random.nextInt(8); i < n; i++) {
                        Mutator.Fuzz f = random.nextBoolean() ? mutator.next() : text("valid", mutator.valid());
                        if (f.expect().name().startsWith("CLOSE")) {
                            continue;
                        }
                        step.add(f);
                    }
                }
                Mutator.Fuzz last = step.get(step.size() - 1);
                boolean closing = step.stream().anyMatch(f -> f.expect().name().startsWith("CLOSE"));
                int expectedErrors = 0;
                for (Mutator.Fuzz f : step) {
                    try {
                        for (byte[] frame : f.frames()) {
                            ws.sendRaw(frame);
                        }
                    } catch (IOException e) {
                        if (!closing) {
                            throw e;
                        }
                        // the server closed at the frame header, before the rest was read: expected
                    }
                    sent.incrementAndGet();
                    bytes.add(f.bytes());
                    Kind k = kinds.computeIfAbsent(step.size() > 1 ? "burst" : f.kind(), x -> new Kind());
                    k.sent.increment();
                    if (f.expect() == Mutator.Expect.ERROR && target.answersErrors()) {
                        expectedErrors++;
                        k.expectedErrors.increment();
                    }
                }
                Kind kind = kinds.get(step.size() > 1 ? "burst" : last.kind());
                if (closing) {
                    FaultSocket.Frame f;
                    int errors = 0;
                    while ((f = ws.next(30_000)) != null && f != FaultSocket.EOF && f.opcode() != 8) {
                        if (f.opcode() == 1 && target.isError(f.text())) {
                            errors++;
                        }
                    }
                    int code = f == null ? -1 : ws.closeCode;
                    kind.closes.computeIfAbsent(code, x -> new LongAdder()).increment();
                    int want = Integer.parseInt(last.expect().name().substring("CLOSE_".length()));
                    if (code != want) {
                        failures.add(last.kind() + ": closed with " + code + ", documented " + want);
                    }
                    ws.close();
                    ws = connect();
                    reconnects.increment();
                    continue;
                }
                if (!target.answersErrors()) {
                    // control answers nothing: a WebSocket ping now and then proves it is still there
                    if (random.nextInt(25) == 0 && !ws.ping(30_000)) {
                        failures.add(target.name() + ": no pong after " + last.kind() + (ws.closed() ? " (closed " + ws.closeCode + ")" : ""));
                    }
                    FaultSocket.Frame f;
                    while ((f = ws.next(0)) != null && f != FaultSocket.EOF && f.opcode() != 8) {
                        if (f.opcode() != 1 || !f.text().startsWith("{\"event\":")) {
                            failures.add(target.name() + ": answered " + last.kind() + " with " + abbreviate(f.text()));
                        }
                    }
                    if (ws.closed()) {
                        kind.closes.computeIfAbsent(ws.closeCode, x -> new LongAdder()).increment();
                        failures.add(last.kind() + ": control closed with " + ws.closeCode);
                    }
                    continue;
                }
                long n = seq.incrementAndGet();
                String marker = "zz-barrier-" + n;
                ws.sendText(target.barrier(n));
                barriers.increment();
                int errors = 0;
                FaultSocket.Frame f;
                while (true) {
                    f = ws.next(60_000);
                    if (f == null) {
                        failures.add(target.name() + ": no answer to the barrier within 60 s after " + kind(step));
                        ws.close();
                        ws = connect();
                        reconnects.increment();
                        break;
                    }
                    if (f == FaultSocket.EOF || f.opcode() == 8) {
                        kind.closes.computeIfAbsent(ws.closeCode, x -> new LongAdder()).increment();
                        failures.add(kind(step) + ": closed with " + ws.closeCode + " where no close is documented");
                        break;
                    }
                    if (f.opcode() != 1) {
                        continue;
                    }
                    String text = f.text();
                    if (text.contains(marker)) {
                        break;
                    }
                    if (target.isError(text) && !text.contains("file.upload.error")) {
                        errors++;
                    }
                }
                kind.anyErrors.add(errors);
                kind.answeredErrors.add(Math.min(errors, expectedErrors));
                if (errors < expectedErrors && (f != null && !ws.closed())) {
                    failures.add(kind(step) + ": " + expectedErrors + " error frame(s) expected, " + errors + " came; sent "
                            + abbreviate(new String(unmaskFirst(step), java.nio.charset.StandardCharsets.UTF_8)));
                }
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            failures.add(target.name() + ": fuzz connection failed: " + e);
        } finally {
            if (ws != null) {
                open.add(ws);
            }
        }
    }

    private static String kind(List<Mutator.Fuzz> step) {
        return step.size() > 1 ? "burst of " + step.size() : step.get(0).kind();
    }

    private static byte[] unmaskFirst(List<Mutator.Fuzz> step) {
        byte[] frame = step.get(0).frames().get(0);
        int len = frame[1] & 0x7f;
        int at = 2;
        if (len == 126) {
            len = ((frame[2] & 0xff) << 8) | (frame[3] & 0xff);
            at = 4;
        } else if (len == 127) {
            return new byte[0];
        }
        byte[] out = new byte[Math.min(len, 300)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (frame[at + 4 + i] ^ frame[at + (i & 3)]);
        }
        return out;
    }

    private static Mutator.Fuzz text(String kind, String text) {
        byte[] payload = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new Mutator.Fuzz(kind, Mutator.Expect.ANY, List.of(FaultSocket.frame(true, 0x1, payload, true, 0)), payload.length);
    }

    static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...(" + s.length() + " chars)";
    }

    /** Close codes over every class: code → count. */
    Map<Integer, Long> closeCodes() {
        Map<Integer, Long> all = new TreeMap<>();
        kinds.values().forEach(k -> k.closes.forEach((c, n) -> all.merge(c, n.sum(), Long::sum)));
        return all;
    }
}
