import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** java Repro.java port conns cycles mode(close|abort|stall) : opens, closes, and polls HTTP meanwhile. */
public class Repro {
    public static void main(String[] a) throws Exception {
        int port = Integer.parseInt(a[0]);
        int n = Integer.parseInt(a[1]);
        int cycles = Integer.parseInt(a[2]);
        String mode = a[3];
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        AtomicBoolean run = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger(), bad = new AtomicInteger();
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
        for (int c = 0; c < cycles; c++) {
            List<WebSocket> ws = new ArrayList<>();
            List<CompletableFuture<WebSocket>> opening = new ArrayList<>();
            HttpClient wsClient = HttpClient.newHttpClient();
            for (int i = 0; i < n; i++) {
                boolean stall = mode.equals("stall") && i > 0;
                WebSocket.Listener l = new WebSocket.Listener() {
                    public void onOpen(WebSocket w) { if (!stall) w.request(Long.MAX_VALUE); }
                    public CompletionStage<?> onText(WebSocket w, CharSequence d, boolean last) { return null; }
                };
                opening.add(wsClient.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/workspace/ws?username=u" + c + "_" + i), l));
                if (opening.size() >= 50) { for (var f : opening) { try { ws.add(f.get(30, TimeUnit.SECONDS)); } catch (Exception e) { System.out.println("open " + e); } } opening.clear(); }
            }
            for (var f : opening) { try { ws.add(f.get(30, TimeUnit.SECONDS)); } catch (Exception e) { System.out.println("open " + e); } }
            System.out.println("cycle " + c + " open " + ws.size());
            if (mode.equals("stall")) {
                String text = "x".repeat(9000);
                for (int k = 0; k < 3000; k++) {
                    ws.get(0).sendText("{\"type\":\"message:send\",\"text\":\"" + k + text + "\"}", true).get(10, TimeUnit.SECONDS);
                }
                Thread.sleep(15000);
            }
            for (int i = 0; i < ws.size(); i++) {
                WebSocket w = ws.get(i);
                if (mode.equals("abort") || (mode.equals("stall") && i % 2 == 0)) w.abort();
                else w.sendClose(1000, "bye");
            }
            Thread.sleep(3000);
            System.out.println("cycle " + c + " http ok=" + ok + " bad=" + bad);
        }
        Thread.sleep(5000);
        run.set(false);
        for (Thread t : pollers) t.join();
        System.out.println("http ok=" + ok + " bad=" + bad);
    }
}
