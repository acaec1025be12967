package dev.switchboard.it;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Health, metrics and the OpenAPI document of the running server. */
class OpsIT {

    private final AppServer server = SharedServer.get();

    /**
     * Nothing goes wrong while the server starts: no SEVERE record before it says it deployed the WAR (Payara's log
     * format; a pre-boot command that fails, as set-metrics-configuration once did at every start, shows here).
     */
    @Test
    void aCleanStartLogsNoSevereRecord() {
        AppServer.assumePayara("the SEVERE level in Payara's log format");
        String log = server.log();
        int deployed = log.indexOf("Deployed 1 archive(s)");
        assertTrue(deployed > 0, "the log says the WAR was deployed:\n" + server.logTail());
        List<String> severe = log.substring(0, deployed).lines().filter(l -> l.contains("SEVERE")).toList();
        assertTrue(severe.isEmpty(), "SEVERE records at start-up: " + severe);
    }

    @Test
    void liveAndReadyWithTheDatabaseCheck() {
        assertEquals(200, Api.get(server.health("/health/live")).status());
        Api.Reply ready = Api.get(server.readyUri());
        assertEquals(200, ready.status());
        assertTrue(ready.body().contains("\"database\"") && ready.body().contains("PostgreSQL"), ready.body());
    }

    /** Every family the README documents, present from the first scrape on (the portable names, on every server). */
    private static final String[] DOCUMENTED = {"switchboard_connections", "switchboard_connections_opened_total",
            "switchboard_connections_closed_total", "switchboard_frames_in_total", "switchboard_frames_out_total",
            "switchboard_bytes_in_total", "switchboard_bytes_out_total", "switchboard_slow_consumer_drops_total",
            "switchboard_write_failures_total", "switchboard_pong_timeouts_total", "switchboard_idle_timeouts_total",
            "switchboard_outbound_queued_frames", "switchboard_auth_failures_total", "switchboard_upload_sessions",
            "switchboard_executions", "switchboard_dm_queue_depth", "switchboard_store_up", "switchboard_cluster_members",
            "switchboard_cluster_backplane_up", "switchboard_cluster_messages_sent_total",
            "switchboard_cluster_messages_dropped_total", "jvm_memory_heap_used_bytes",
            "process_uptime_seconds"};

    @Test
    void prometheusPageIsWellFormedAndCarriesEveryDocumentedFamily() {
        Api.Reply r = Api.get(server, "/metrics");
        assertEquals(200, r.status(), r.body());
        Map<String, String> types = new HashMap<>();
        Pattern sample = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\"\\})? (-?[0-9.eE+]+|NaN)$");
        for (String line : r.body().split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                assertEquals(4, parts.length, line);
                assertTrue(types.put(parts[2], parts[3]) == null, "one TYPE line per family: " + line);
            } else if (!line.startsWith("# HELP ")) {
                Matcher m = sample.matcher(line);
                assertTrue(m.matches(), "a Prometheus sample line: " + line);
                assertTrue(types.containsKey(m.group(1)), "a sample after its family's TYPE: " + line);
            }
        }
        for (String name : DOCUMENTED) {
            assertTrue(types.containsKey(name), name + " in\n" + r.body());
        }
        assertEquals("counter", types.get("switchboard_frames_out_total"));
        assertEquals("gauge", types.get("switchboard_connections"));
        assertEquals(1, metric("switchboard_store_up", null));
        for (String status : new String[] {"pending", "running", "completed", "failed", "cancelled"}) {
            assertTrue(metric("switchboard_executions", "status=\"" + status + "\"") >= 0);
        }
    }

    @Test
    void figuresMoveWithTraffic() throws Exception {
        long opened = metric("switchboard_connections_opened_total", null);
        long failures = metric("switchboard_auth_failures_total", null);
        assertEquals(401, Api.login(server, "admin", "not-the-password-" + System.nanoTime()).status());
        assertTrue(metric("switchboard_auth_failures_total", null) > failures, "a refused login is counted");

        String admin = Api.adminToken(server);
        Api.Reply service = Api.call(server, "POST", "/api/services", admin,
                "{\"name\":\"metrics-" + System.nanoTime() + "\",\"type\":\"DATA\",\"description\":\"files\"}");
        assertEquals(201, service.status(), service.body());
        long serviceId = service.json().getJsonNumber("id").longValue();
        long uploaded = metric("switchboard_upload_bytes_total", null);
        try (WsClient c = WsClient.connect(server.ws("/api/ws?token=" + admin))) {
            c.nextOfType("connected", Duration.ofSeconds(10));
            assertTrue(metric("switchboard_connections", "dialect=\"node\"") >= 1);
            Uploader up = new Uploader(c);
            byte[] data = new byte[3000];
            new java.util.Random(7).nextBytes(data);
            String session = up.start(serviceId, "g-" + System.nanoTime(), "m/data.bin", 0, 1, data, 1000);
            for (int i = 0; i < 3; i++) {
                up.chunk(session, i, data, 1000);
            }
            up.complete(session);
        }
        assertTrue(metric("switchboard_connections_opened_total", null) > opened);
        assertEquals(uploaded + 3000, metric("switchboard_upload_bytes_total", null), "every first receipt of a chunk is counted once");
        assertTrue(metric("switchboard_upload_sessions", "status=\"completed\"") >= 1);
        assertTrue(metric("switchboard_frames_out_total", null) > 0);
    }

    @Test
    void refusedHandshakesAreCountedByReason() throws Exception {
        long before = metricOrZero("switchboard_handshake_refusals_total", "reason=\"path\"");
        var request = java.net.http.HttpRequest.newBuilder(server.http("/api/ws;x=1"))
                .header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==").header("Sec-WebSocket-Version", "13").build();
        var reply = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build().send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(404, reply.statusCode(), reply.body());
        assertEquals(before + 1, metric("switchboard_handshake_refusals_total", "reason=\"path\""));
    }

    @Test
    void openApiDocumentIsServed() {
        Api.Reply r = Api.get(server, "/openapi");
        assertEquals(200, r.status());
        for (String path : new String[] {"/api/auth/login", "/api/services", "/api/workflows/{id}/executions", "/api/executions/{id}/cancel"}) {
            assertTrue(r.body().contains(path), path + " in " + r.body());
        }
    }

    private long metricOrZero(String name, String labels) {
        String series = Pattern.quote(name + "{" + labels + "}");
        Matcher m = Pattern.compile("(?m)^" + series + " ([0-9.eE+-]+)$").matcher(Api.get(server, "/metrics").body());
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    }

    /** One sample of a family; {@code labels} is the exact label text inside the braces, or null for none. */
    private long metric(String name, String labels) {
        String body = Api.get(server, "/metrics").body();
        String series = labels == null ? Pattern.quote(name) : Pattern.quote(name + "{" + labels + "}");
        Matcher m = Pattern.compile("(?m)^" + series + " ([0-9.eE+-]+)$").matcher(body);
        assertTrue(m.find(), name + (labels == null ? "" : "{" + labels + "}") + " in\n" + body);
        return (long) Double.parseDouble(m.group(1));
    }
}
