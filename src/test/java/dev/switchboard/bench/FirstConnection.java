package dev.switchboard.bench;

import jakarta.json.JsonObject;

import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Scenario 7: seconds from the server's launch ({@code launchedAtMs}, epoch milliseconds, given by the script that
 * launched it) to the first accepted WebSocket connection: a {@code workspace} client's {@code connected} frame.
 */
final class FirstConnection {

    private FirstConnection() {
    }

    static JsonObject run(Bench bench) throws Exception {
        long launched = Long.parseLong(bench.option("launchedAtMs", String.valueOf(System.currentTimeMillis())));
        long deadline = System.currentTimeMillis() + bench.option("timeoutSeconds", 180) * 1000L;
        int attempts = 0;
        while (System.currentTimeMillis() < deadline) {
            attempts++;
            CompletableFuture<String> greeted = new CompletableFuture<>();
            try {
                WebSocket ws = Bench.HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(2))
                        .buildAsync(bench.ws("/workspace/ws?username=startup" + attempts), new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                                greeted.complete(data.toString());
                                return null;
                            }
                        }).get(3, TimeUnit.SECONDS);
                String hello = greeted.get(3, TimeUnit.SECONDS);
                long at = System.currentTimeMillis();
                ws.abort();
                if (hello.contains("\"connected\"")) {
                    return Bench.result("first-connection").add("seconds", (at - launched) / 1000.0).add("attempts", attempts).build();
                }
            } catch (Exception e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("no connection accepted before the timeout");
    }
}
