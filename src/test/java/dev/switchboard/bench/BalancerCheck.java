package dev.switchboard.bench;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A client through the load balancer ({@code host} = the balancer): it signs in over REST, opens {@code conns} rtc
 * connections with that token (the balancer spreads them, so most land on instances that did not issue it), each
 * subscribes to one topic, and one {@code Broadcast} must reach every one of them exactly once. With
 * {@code instances} (the instances' own host:port, comma list) it reads each one's
 * {@code switchboard_connections{dialect="rtc"}} to show where the connections landed. Not a measurement: it
 * fails unless everything arrived.
 */
final class BalancerCheck {

    private static final Duration T = Duration.ofSeconds(20);
    private final Bench bench;

    BalancerCheck(Bench bench) {
        this.bench = bench;
    }

    JsonObject run() throws Exception {
        int conns = bench.option("conns", 9);
        String[] instances = bench.option("instances", "").isBlank() ? new String[0] : bench.option("instances", "").split(",");
        String token = bench.token();
        String topic = "balancer.check" + System.nanoTime();
        List<Bench.Socket> sockets = new ArrayList<>();
        for (int i = 0; i < conns; i++) {
            Bench.Socket s = Bench.Socket.open(bench.ws("/rtc/ws?token=" + token));
            s.nextContaining("\"connected\"", T);
            s.send("{\"type\":\"Subscribe\",\"data\":{\"topics\":[\"" + topic + "\"]}}");
            s.nextContaining("\"subscribed\"", T);
            sockets.add(s);
        }
        JsonObjectBuilder landed = jakarta.json.Json.createObjectBuilder();
        for (String instance : instances) {
            landed.add(instance, rtcConnections(instance));
        }
        // the subscriptions of the other instances' connections are announced over the backplane
        Thread.sleep(1000);
        sockets.get(0).send("{\"type\":\"Broadcast\",\"id\":\"lb-1\",\"data\":{\"topic\":\"" + topic + "\",\"payload\":{\"hello\":\"balancer\"}}}");
        int received = 0;
        for (Bench.Socket s : sockets) {
            s.nextContaining("\"balancer\"", T);
            received++;
        }
        String ack = sockets.get(0).nextContaining("\"Ack\"", T);
        Thread.sleep(500);
        int duplicates = 0;
        for (Bench.Socket s : sockets) {
            for (String left : s.texts) {
                if (left.contains("\"balancer\"")) {
                    duplicates++;
                }
            }
            s.close();
        }
        if (duplicates > 0) {
            throw new IllegalStateException(duplicates + " duplicate deliveries");
        }
        return Bench.result("balancer").add("conns", conns).add("received", received).add("duplicates", duplicates)
                .add("ack", Bench.json(ack)).add("rtcConnectionsPerInstance", landed).build();
    }

    private static long rtcConnections(String instance) throws Exception {
        HttpResponse<String> r = Bench.HTTP.send(HttpRequest.newBuilder(java.net.URI.create("http://" + instance + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        for (String line : r.body().split("\n")) {
            if (line.startsWith("switchboard_connections{dialect=\"rtc\"}")) {
                return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }
}
