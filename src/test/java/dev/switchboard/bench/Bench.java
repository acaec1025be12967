package dev.switchboard.bench;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Entry point of the Switchboard-only scenarios: {@code Bench <scenario> <host:port> <admin password> [k=v ...]};
 * each prints one JSON object on standard output. Scenarios: upload, search, workflow, rtc, first-connection,
 * cluster, failover, balancer.
 */
public final class Bench {

    // HTTP/1.1: the default would try a cleartext HTTP/2 upgrade, which browsers never do and Grizzly drops under load
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

    final String host;
    final String password;
    final java.util.Map<String, String> options = new java.util.HashMap<>();
    private String token;

    public Bench(String host, String password, String... rest) {
        this.host = host;
        this.password = password;
        for (String kv : rest) {
            int eq = kv.indexOf('=');
            options.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: Bench upload|search|workflow|rtc|first-connection|cluster|failover|balancer host:port adminPassword [key=value ...]");
            System.exit(2);
        }
        Bench bench = new Bench(args[1], args[2], java.util.Arrays.copyOfRange(args, 3, args.length));
        System.out.println(bench.run(args[0]));
        System.exit(0);
    }

    /** Runs one scenario and returns its figures. */
    public JsonObject run(String scenario) throws Exception {
        return switch (scenario) {
            case "upload" -> new UploadScenario(this).run();
            case "search" -> new SearchScenario(this).run();
            case "workflow" -> new WorkflowScenario(this).run();
            case "rtc" -> new RtcScenario(this).run();
            case "first-connection" -> FirstConnection.run(this);
            case "cluster" -> new ClusterScenario(this).run();
            case "failover" -> new FailoverScenario(this).run();
            case "balancer" -> new BalancerCheck(this).run();
            default -> throw new IllegalArgumentException("unknown scenario " + scenario);
        };
    }

    int option(String key, int fallback) {
        return options.containsKey(key) ? Integer.parseInt(options.get(key)) : fallback;
    }

    String option(String key, String fallback) {
        return options.getOrDefault(key, fallback);
    }

    URI http(String path) {
        return URI.create("http://" + host + path);
    }

    URI ws(String path) {
        return URI.create("ws://" + host + path);
    }

    synchronized String token() throws IOException, InterruptedException {
        if (token == null) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(http("/api/auth/login")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"" + password + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("login failed: " + r.statusCode() + " " + r.body());
            }
            token = json(r.body()).getString("token");
        }
        return token;
    }

    /** A REST call with the admin token; fails unless the status is 2xx. */
    JsonObject call(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(http(path)).header("Authorization", "Bearer " + token())
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + " -> " + r.statusCode() + " " + r.body());
        }
        return r.body().isEmpty() ? JsonObject.EMPTY_JSON_OBJECT : json(r.body());
    }

    /** The server JVM's heap in use, from the application's Prometheus page. */
    long serverHeapUsed() {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(http("/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            for (String line : r.body().split("\n")) {
                if (line.startsWith("jvm_memory_heap_used_bytes ")) {
                    return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    static JsonObject json(String text) {
        try (var reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }

    static JsonObjectBuilder result(String scenario) {
        return Json.createObjectBuilder().add("scenario", scenario);
    }

    /** A WebSocket whose text messages are queued whole. */
    static final class Socket implements WebSocket.Listener {
        final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        /** When {@code stamped}: each text's arrival (nanoTime, the first of equal texts), for waits taken one after another. */
        final java.util.Map<String, Long> arrivals = new java.util.concurrent.ConcurrentHashMap<>();
        volatile boolean stamped;
        private final StringBuilder partial = new StringBuilder();
        WebSocket ws;

        static Socket open(URI uri) throws Exception {
            Socket s = new Socket();
            s.ws = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(20)).buildAsync(uri, s).get(30, TimeUnit.SECONDS);
            return s;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                if (stamped) {
                    arrivals.putIfAbsent(text, System.nanoTime());
                }
                texts.add(text);
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        String next(Duration timeout) throws InterruptedException {
            String s = texts.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (s == null) {
                throw new IllegalStateException("no message within " + timeout);
            }
            return s;
        }

        String nextContaining(String fragment, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                String s = next(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
                if (s.contains(fragment)) {
                    return s;
                }
            }
        }

        void send(String text) throws Exception {
            ws.sendText(text, true).get(30, TimeUnit.SECONDS);
        }

        void close() {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
    }
}
