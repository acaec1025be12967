package dev.switchboard.it;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Health, metrics and the OpenAPI document of the running server. */
class OpsIT {

    private final PayaraServer server = SharedServer.get();

    @Test
    void liveAndReadyWithTheDatabaseCheck() {
        assertEquals(200, Api.get(server, "/health/live").status());
        Api.Reply ready = Api.get(server, "/health/ready");
        assertEquals(200, ready.status());
        assertTrue(ready.body().contains("\"database\"") && ready.body().contains("PostgreSQL"), ready.body());
    }

    @Test
    void hubCountersAreMetricsThatMove() {
        long before = metric("hub_connections_opened_total");
        try (WsClient c = WsClient.connect(server.ws("/api/ws?token=" + Api.adminToken(server)))) {
            c.nextOfType("connected", Duration.ofSeconds(10));
            assertTrue(metric("hub_connections") >= 1);
        }
        assertTrue(metric("hub_connections_opened_total") > before);
        assertTrue(metric("hub_frames_out_total") > 0);
    }

    @Test
    void openApiDocumentIsServed() {
        Api.Reply r = Api.get(server, "/openapi");
        assertEquals(200, r.status());
        for (String path : new String[] {"/api/auth/login", "/api/services", "/api/workflows/{id}/executions", "/api/executions/{id}/cancel"}) {
            assertTrue(r.body().contains(path), path + " in " + r.body());
        }
    }

    private long metric(String name) {
        String body = Api.get(server, "/metrics?scope=application").body();
        Matcher m = Pattern.compile("(?m)^" + name + "(?:_\\w+)?(?:\\{[^}]*\\})? ([0-9.E+]+)$").matcher(body);
        assertTrue(m.find(), name + " in\n" + body);
        return (long) Double.parseDouble(m.group(1));
    }
}
