package dev.switchboard.bench;

import dev.switchboard.it.AppServer;
import dev.switchboard.it.RawWebSocket;

import jakarta.json.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.Inflater;

/**
 * Bytes and server CPU per delivery of a large broadcast with and without permessage-deflate: a server started as the
 * ITs start one ({@link AppServer}, {@code -Dit.server}), N raw workspace subscribers that offer the extension or not,
 * and one sender of K ~8 KB JSON-like messages at a steady rate; every subscriber inflates what came compressed and
 * checks it is a {@code message:new}. Rounds alternate off and on (the machine is shared: interleaved), each line
 * printed with the load average.
 *
 * <pre>java -Dit.jvm-options=none -cp target/test-classes:$(cat cp.txt) dev.switchboard.bench.CompressionFanout \
 *   subscribers=200 messages=100 rate=20 bytes=8000 rounds=3 [env=SWITCHBOARD_TYRUS_RAW_FRAMES:false]</pre>
 */
public final class CompressionFanout {

    private CompressionFanout() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new java.util.HashMap<>();
        for (String a : args) {
            o.put(a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
        }
        int subscribers = Integer.parseInt(o.getOrDefault("subscribers", "200"));
        int messages = Integer.parseInt(o.getOrDefault("messages", "200"));
        int rate = Integer.parseInt(o.getOrDefault("rate", "20"));
        int bytes = Integer.parseInt(o.getOrDefault("bytes", "8000"));
        int rounds = Integer.parseInt(o.getOrDefault("rounds", "3"));
        Map<String, String> env = new java.util.HashMap<>(Map.of("WORKSPACE_RATE_LIMIT_PER_SECOND", "10000",
                "WORKSPACE_RATE_LIMIT_BURST", "10000", "WORKSPACE_ANONYMOUS_CONNECTS_PER_SECOND", "10000",
                "WORKSPACE_ANONYMOUS_CONNECT_BURST", "10000", "WORKSPACE_MESSAGE_MAX_LENGTH", String.valueOf(bytes * 2),
                "WORKSPACE_MAX_CONNECTIONS_PER_ADDRESS", "10000"));
        // env=KEY:VALUE,KEY:VALUE for the server, e.g. SWITCHBOARD_TYRUS_RAW_FRAMES:false (Tyrus compresses per connection)
        for (String kv : o.getOrDefault("env", "").split(",")) {
            if (!kv.isBlank()) {
                env.put(kv.substring(0, kv.indexOf(':')), kv.substring(kv.indexOf(':') + 1));
            }
        }
        try (AppServer server = AppServer.create("compression-bench", env)) {
            server.start();
            round(server, subscribers, 20, rate, bytes, false); // warm-up, not reported
            round(server, subscribers, 20, rate, bytes, true);
            for (int r = 0; r < rounds; r++) {
                for (boolean on : new boolean[] {false, true}) {
                    System.out.println(round(server, subscribers, messages, rate, bytes, on));
                }
            }
        }
        System.exit(0);
    }

    private static String round(AppServer server, int n, int messages, int rate, int bytes, boolean offer) throws Exception {
        String tag = Long.toString(System.nanoTime(), 36);
        List<RawWebSocket> subs = new ArrayList<>();
        AtomicLong wire = new AtomicLong();
        AtomicLong compressedFrames = new AtomicLong();
        CountDownLatch done = new CountDownLatch(n);
        List<Thread> readers = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                RawWebSocket s = RawWebSocket.open(server.port(), "/workspace/ws?username=s" + tag + i,
                        offer ? Map.of("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits") : Map.of(), 0);
                if (s.handshake().status() != 101 || offer != s.handshake().headers().containsKey("sec-websocket-extensions")) {
                    throw new IllegalStateException("handshake " + s.handshake());
                }
                subs.add(s);
            }
            for (RawWebSocket s : subs) {
                Thread t = new Thread(() -> read(s, messages, wire, compressedFrames, done));
                t.setDaemon(true);
                t.start();
                readers.add(t);
            }
            Thread.sleep(2000); // the joins' presence frames die down
            try (RawWebSocket sender = RawWebSocket.open(server.port(), "/workspace/ws?username=sender" + tag, Map.of(), 0)) {
                Thread drain = new Thread(() -> {
                    try {
                        while (true) {
                            RawWebSocket.Bits f = sender.readBits();
                            if (f.opcode() == 0x9) {
                                sender.sendFrame(0xA, f.payload());
                            }
                        }
                    } catch (IOException e) {
                        // closed
                    }
                });
                drain.setDaemon(true);
                drain.start();
                Random random = new Random(42);
                List<String> bodies = new ArrayList<>();
                for (int m = 0; m < messages; m++) {
                    bodies.add(Json.createObjectBuilder().add("type", "message:send").add("text", payload(random, bytes)).build().toString());
                }
                wire.set(0);
                long cpu0 = cpuNanos(server);
                long t0 = System.nanoTime();
                for (int m = 0; m < messages; m++) {
                    long due = t0 + m * 1_000_000_000L / rate;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    sender.sendText(bodies.get(m));
                }
                boolean all = done.await(120, TimeUnit.SECONDS);
                long elapsed = System.nanoTime() - t0;
                long cpu = cpuNanos(server) - cpu0;
                long deliveries = (long) n * messages;
                return String.format("{\"scenario\":\"compression-fanout\",\"server\":\"%s\",\"compression\":%s,\"subscribers\":%d,"
                                + "\"messages\":%d,\"rate\":%d,\"plainJsonBytes\":%d,\"wireBytesPerDelivery\":%d,\"compressedFrames\":%d,"
                                + "\"serverCpuUsPerDelivery\":%.1f,\"serverCpuPct\":%.1f,\"allDelivered\":%s,\"loadavg\":\"%s\"}",
                        AppServer.kind(), offer, n, messages, rate, bodies.get(0).length() + 60, wire.get() / Math.max(1, deliveries),
                        compressedFrames.get(), cpu / 1000.0 / deliveries, 100.0 * cpu / elapsed, all,
                        Files.readString(Path.of("/proc/loadavg")).trim());
            }
        } finally {
            for (RawWebSocket s : subs) {
                s.close();
            }
            Thread.sleep(1000);
        }
    }

    /** JSON-like text of about {@code size} characters: compressible as real payloads are, not a repeated string. */
    static String payload(Random r, int size) {
        StringBuilder b = new StringBuilder(size + 100);
        String[] words = {"candidate", "udp", "tcp", "typ", "host", "srflx", "relay", "raddr", "rport", "generation",
                "ufrag", "network-id", "cost", "priority", "foundation", "component"};
        while (b.length() < size) {
            b.append("{\"").append(words[r.nextInt(words.length)]).append("\":").append(r.nextInt(1_000_000))
                    .append(",\"").append(words[r.nextInt(words.length)]).append("\":\"")
                    .append(Integer.toHexString(r.nextInt())).append(' ').append(words[r.nextInt(words.length)])
                    .append("\"},");
        }
        return b.toString();
    }

    private static void read(RawWebSocket s, int messages, AtomicLong wire, AtomicLong compressed, CountDownLatch done) {
        Inflater inf = new Inflater(true);
        int got = 0;
        try {
            s.soTimeout(180_000);
            while (got < messages) {
                RawWebSocket.Bits f = s.readBits();
                int len = f.payload().length;
                if (f.opcode() == 0x9) {
                    s.sendFrame(0xA, f.payload());
                    continue;
                }
                if (f.opcode() == 0x8) {
                    return;
                }
                byte[] text = f.payload();
                if (f.rsv1()) {
                    compressed.incrementAndGet();
                    text = inflate(inf, text);
                }
                if (new String(text, 0, Math.min(text.length, 40), StandardCharsets.UTF_8).contains("message:new")) {
                    wire.addAndGet(len + (len < 126 ? 2 : len <= 0xFFFF ? 4 : 10));
                    got++;
                }
            }
            done.countDown();
        } catch (IOException e) {
            // counted as not delivered
        } finally {
            inf.end();
        }
    }

    private static byte[] inflate(Inflater inf, byte[] payload) throws IOException {
        inf.reset();
        byte[] in = Arrays.copyOf(payload, payload.length + 4);
        in[payload.length + 2] = (byte) 0xFF;
        in[payload.length + 3] = (byte) 0xFF;
        inf.setInput(in);
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length * 6);
        byte[] buf = new byte[16384];
        try {
            while (!inf.needsInput()) {
                out.write(buf, 0, inf.inflate(buf));
            }
        } catch (java.util.zip.DataFormatException e) {
            throw new IOException(e);
        }
        return out.toByteArray();
    }

    private static long cpuNanos(AppServer server) {
        return server.processes().stream().mapToLong(p -> p.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L)).sum();
    }
}
