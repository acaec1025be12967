package dev.switchboard.bench;

import jakarta.json.JsonObject;

import java.net.URI;
import java.time.Duration;
import java.util.UUID;

/**
 * Failover: how long the other instances of a cluster take to see one die. An rtc user connects to the victim
 * instance only ({@code victim} host:port, its process {@code pid}); an rtc watcher on {@code watch} follows
 * {@code presence.#}, a control client on {@code control} waits for {@code agent:offline} and a vault client there
 * for {@code peer_disconnected} on {@code peer_network}. The victim is then killed with SIGKILL (the JDK's
 * destroyForcibly, the same as {@code kill -9}) and the three times from the kill are reported.
 */
final class FailoverScenario {

    private static final Duration T = Duration.ofSeconds(20);
    private final Bench bench;

    FailoverScenario(Bench bench) {
        this.bench = bench;
    }

    JsonObject run() throws Exception {
        String victim = bench.option("victim", "");
        long pid = Long.parseLong(bench.option("pid", "0"));
        String watch = bench.option("watch", bench.host);
        String control = bench.option("control", bench.host);
        int timeout = bench.option("timeoutSeconds", 60);
        String load = ClusterScenario.loadAverage();
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow(() -> new IllegalArgumentException("no process " + pid));
        String user = "failover-" + UUID.randomUUID().toString().substring(0, 8);
        String password = UUID.randomUUID().toString();
        bench.call("POST", "/api/users", "{\"username\":\"" + user + "\",\"password\":\"" + password + "\",\"groups\":[\"user\"]}");
        String userToken = Bench.json(Bench.HTTP.send(java.net.http.HttpRequest.newBuilder(bench.http("/api/auth/login"))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}"))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body()).getString("token");

        Bench.Socket watcher = Bench.Socket.open(URI.create("ws://" + watch + "/rtc/ws?token=" + bench.token()));
        watcher.nextContaining("\"connected\"", T);
        watcher.send("{\"type\":\"Subscribe\",\"data\":{\"topics\":[\"presence.#\"]}}");
        watcher.nextContaining("\"subscribed\"", T);
        Bench.Socket agents = Bench.Socket.open(URI.create("ws://" + control + "/control/ws"));
        Bench.Socket peers = Bench.Socket.open(URI.create("ws://" + control + "/ws"));
        peers.send("{\"type\":\"subscribe\",\"topic\":\"peer_network\"}");
        peers.nextContaining("\"subscribed\"", T);
        Bench.Socket doomed = Bench.Socket.open(URI.create("ws://" + victim + "/rtc/ws?token=" + userToken));
        doomed.nextContaining("\"connected\"", T);
        String online = presence(watcher, user, Duration.ofSeconds(timeout));
        if (!online.contains("\"online\"")) {
            throw new IllegalStateException("expected online first: " + online);
        }
        // whatever the control and vault clients got so far (heartbeats, earlier joins) is not the departure
        agents.texts.clear();
        peers.texts.clear();
        watcher.stamped = true;
        agents.stamped = true;
        peers.stamped = true;

        long killed = System.nanoTime();
        if (!process.destroyForcibly()) {
            throw new IllegalStateException("could not kill " + pid);
        }
        long[] at = new long[3];
        String offline = presence(watcher, user, Duration.ofSeconds(timeout));
        at[0] = arrival(watcher, offline);
        if (!offline.contains("\"offline\"")) {
            throw new IllegalStateException("expected offline: " + offline);
        }
        String gone = agents.nextContaining("\"agent:offline\"", Duration.ofSeconds(timeout));
        at[1] = arrival(agents, gone);
        String disconnected = peers.nextContaining("\"peer_disconnected\"", Duration.ofSeconds(timeout));
        at[2] = arrival(peers, disconnected);
        process.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
        watcher.close();
        agents.close();
        peers.close();
        doomed.ws.abort();
        JsonObject agentOffline = Bench.json(gone);
        return Bench.result("failover").add("victim", victim).add("loadAverage", load)
                .add("presenceOfflineMs", (at[0] - killed) / 1_000_000)
                .add("agentOfflineMs", (at[1] - killed) / 1_000_000)
                .add("peerDisconnectedMs", (at[2] - killed) / 1_000_000)
                .add("agentOfflineReason", agentOffline.getJsonObject("data").getString("reason", "?"))
                .build();
    }

    /** The next Presence frame about {@code user} (others, e.g. the watcher's own, are skipped). */
    private static String presence(Bench.Socket watcher, String user, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String s = watcher.nextContaining("\"Presence\"", Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
            if (s.contains("\"user_id\":\"" + user + "\"")) {
                return s;
            }
        }
    }

    /** When a frame arrived (recorded by the socket, so a frame waited for after another keeps its own time). */
    private static long arrival(Bench.Socket socket, String frame) {
        Long t = socket.arrivals.get(frame);
        if (t == null) {
            throw new IllegalStateException("no arrival time for " + frame);
        }
        return t;
    }
}
