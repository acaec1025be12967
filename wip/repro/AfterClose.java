import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * java AfterClose.java port conns cycles mode(data|rst|wait|flood) : raw workspace connections that end in odd ways while
 * 4 threads poll /metrics and /health/ready. data: close frame, then one more masked frame; rst: close frame, then
 * reset (linger 0); wait: close frame, read to EOF; flood: a client that never reads gets 300 chat messages, then rst;
 * stall: conns clients that never read (2 KB receive buffer) get 2,000 chat messages of 4 KB from one poster, so the
 * server closes them (1013 or 1001) with its write queue full; 10 s later each sends a ping, and is reset 0.5 s after.
 */
public class AfterClose {
    static byte[] frame(int opcode, byte[] payload) {
        byte[] f = new byte[6 + payload.length + (payload.length > 125 ? 2 : 0)];
        int i = 0;
        f[i++] = (byte) (0x80 | opcode);
        if (payload.length > 125) { f[i++] = (byte) (0x80 | 126); f[i++] = (byte) (payload.length >> 8); f[i++] = (byte) payload.length; }
        else f[i++] = (byte) (0x80 | payload.length);
        byte[] mask = {1, 2, 3, 4};
        System.arraycopy(mask, 0, f, i, 4); i += 4;
        for (int k = 0; k < payload.length; k++) f[i + k] = (byte) (payload[k] ^ mask[k % 4]);
        return f;
    }

    public static void main(String[] a) throws Exception {
        int port = Integer.parseInt(a[0]);
        int n = Integer.parseInt(a[1]);
        int cycles = Integer.parseInt(a[2]);
        String mode = a[3];
        AtomicBoolean run = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger(), bad = new AtomicInteger(), opened = new AtomicInteger(), failed = new AtomicInteger();
        List<Thread> pollers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            String path = t % 2 == 0 ? "/metrics" : "/health/ready";
            Thread th = new Thread(() -> {
                HttpClient own = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                while (run.get()) {
                    try {
                        HttpResponse<String> r = own.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 200) ok.incrementAndGet(); else { bad.incrementAndGet(); System.out.println(path + " " + r.statusCode()); }
                    } catch (Exception e) {
                        bad.incrementAndGet();
                        System.out.println(path + " " + e);
                    }
                }
            });
            th.start();
            pollers.add(th);
        }
        byte[] close = frame(8, new byte[] {0x03, (byte) 0xe8});
        if (mode.equals("stall")) {
            for (int c = 0; c < cycles; c++) {
                stall(port, n, c);
                System.out.println("cycle " + c + " http ok=" + ok + " bad=" + bad);
            }
            Thread.sleep(5000);
            run.set(false);
            for (Thread t : pollers) t.join();
            System.out.println("http ok=" + ok + " bad=" + bad);
            return;
        }
        for (int c = 0; c < cycles; c++) {
        ExecutorService pool = Executors.newFixedThreadPool(32);
        for (int i = 0; i < n; i++) {
            int id = c * n + i;
            pool.execute(() -> {
                try (Socket s = new Socket()) {
                    if (mode.equals("flood")) s.setReceiveBufferSize(2048);
                    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                    s.setSoTimeout(10000);
                    OutputStream out = s.getOutputStream();
                    InputStream in = s.getInputStream();
                    out.write(("GET /workspace/ws?username=ac" + id + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                            + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    int state = 0;
                    while (state < 4) {
                        int b = in.read();
                        if (b < 0) throw new java.io.EOFException("no 101");
                        state = (b == (state % 2 == 0 ? '\r' : '\n')) ? state + 1 : (b == '\r' ? 1 : 0);
                    }
                    opened.incrementAndGet();
                    if (mode.equals("flood")) {
                        byte[] msg = frame(1, ("{\"type\":\"message:send\",\"text\":\"" + "y".repeat(2000) + "\"}").getBytes(StandardCharsets.UTF_8));
                        for (int k = 0; k < 300; k++) out.write(msg);
                        Thread.sleep(200);
                    }
                    out.write(close);
                    switch (mode) {
                        case "data" -> { out.write(frame(9, new byte[] {1})); out.write(frame(1, "{\"type\":\"x\"}".getBytes())); }
                        case "rst", "flood" -> s.setSoLinger(true, 0);
                        case "wait" -> { while (in.read() >= 0) { } }
                        default -> throw new IllegalArgumentException(mode);
                    }
                } catch (Exception e) {
                    failed.incrementAndGet();
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.MINUTES);
        System.out.println("cycle " + c + " opened=" + opened + " failed=" + failed + " http ok=" + ok + " bad=" + bad);
        }
        Thread.sleep(5000);
        run.set(false);
        for (Thread t : pollers) t.join();
        System.out.println("opened=" + opened + " failed=" + failed + " http ok=" + ok + " bad=" + bad);
    }

    static Socket open(int port, String user, boolean stalled) throws Exception {
        Socket s = new Socket();
        if (stalled) s.setReceiveBufferSize(2048);
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(10000);
        s.getOutputStream().write(("GET /workspace/ws?username=" + user + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        InputStream in = s.getInputStream();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) throw new java.io.EOFException("no 101");
            state = (b == (state % 2 == 0 ? '\r' : '\n')) ? state + 1 : (b == '\r' ? 1 : 0);
        }
        return s;
    }

    static void stall(int port, int n, int cycle) throws Exception {
        List<Socket> stalled = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            try { stalled.add(open(port, "st" + cycle + "_" + i, true)); } catch (Exception e) { System.out.println("open " + e); }
        }
        Socket poster = open(port, "poster" + cycle, false);
        Thread drain = new Thread(() -> {
            byte[] b = new byte[65536];
            try { InputStream in = poster.getInputStream(); poster.setSoTimeout(0); while (in.read(b) >= 0) { } } catch (Exception e) { }
        });
        drain.setDaemon(true);
        drain.start();
        byte[] msg = frame(1, ("{\"type\":\"message:send\",\"text\":\"" + "z".repeat(4000) + "\"}").getBytes(StandardCharsets.UTF_8));
        OutputStream out = poster.getOutputStream();
        for (int k = 0; k < 2000; k++) out.write(msg);
        System.out.println("cycle " + cycle + " stalled " + stalled.size() + " posted");
        Thread.sleep(10000);
        int pinged = 0;
        for (Socket s : stalled) {
            try { s.getOutputStream().write(frame(9, new byte[] {7})); pinged++; } catch (Exception e) { }
        }
        System.out.println("cycle " + cycle + " pinged " + pinged);
        Thread.sleep(500);
        for (Socket s : stalled) {
            try { s.setSoLinger(true, 0); s.close(); } catch (Exception e) { }
        }
        poster.close();
        Thread.sleep(5000);
    }
}
