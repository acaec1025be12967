package dev.switchboard.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** spec/vault.md on the wire: every client message and its errors, each topic's messages, the HTTP endpoints. */
class VaultProtocolIT {

    private static final Duration T = Duration.ofSeconds(10);
    private static AppServer server;
    private static String admin;

    @BeforeAll
    static void setUp() {
        server = SharedServer.get();
        admin = Api.adminToken(server);
    }

    static WsClient connect(String query) {
        WsClient c = WsClient.connect(server.ws("/ws" + query));
        JsonObject hello = c.nextOfType("connected", T);
        assertFalse(hello.getString("clientId").isEmpty());
        return c;
    }

    static JsonObject subscribe(WsClient c, String topic) {
        c.send("{\"type\":\"subscribe\",\"topic\":\"" + topic + "\"}");
        JsonObject r = c.next(m -> m.getString("type").equals("subscribed") || m.getString("type").equals("error"), T);
        assertEquals("subscribed", r.getString("type"), r.toString());
        assertEquals(topic, r.getString("topic"));
        return r;
    }

    static JsonObject error(WsClient c) {
        JsonObject e = c.nextOfType("error", T);
        assertTrue(e.containsKey("timestamp"), e.toString());
        return e.getJsonObject("data");
    }

    static void assertIso(String timestamp) {
        Instant.parse(timestamp);
    }

    @Test
    void theSpecsSubscribeAndUnsubscribeExamplesAreConfirmedAndOnlyKnownTopicsAccepted() {
        try (WsClient c = connect("?token=" + admin)) {
            for (String topic : List.of("file_operations", "peer_network", "system", "alerts")) {
                subscribe(c, topic);
            }
            c.send("{\"type\":\"unsubscribe\",\"topic\":\"system\"}");
            JsonObject r = c.next(m -> m.getString("type").equals("unsubscribed"), T);
            assertFalse(r.getJsonObject("data").getJsonArray("subscriptions").toString().contains("\"system\""));
            c.send("{\"type\":\"subscribe\",\"topic\":\"weather\"}");
            JsonObject e = error(c);
            assertEquals("INVALID_MESSAGE", e.getString("code"));
            assertTrue(e.getString("message").contains("weather"), e.toString());
        }
    }

    @Test
    void anUploadThroughNodeReachesFileOperationsSubscribersOnlyAndADeleteCarriesTheSameKey() throws Exception {
        Api.Reply svc = Api.call(server, "POST", "/api/services", admin,
                "{\"name\":\"vault-files-" + System.nanoTime() + "\",\"type\":\"DATA\",\"description\":\"files\"}");
        assertEquals(201, svc.status(), svc.body());
        long serviceId = svc.json().getJsonNumber("id").longValue();
        byte[] data = "hello vault".getBytes();
        try (WsClient files = connect(""); WsClient other = connect("");
             WsClient node = WsClient.connect(server.ws("/api/ws?token=" + admin))) {
            subscribe(files, "file_operations");
            subscribe(other, "peer_network");
            node.nextOfType("connected", T);
            Uploader up = new Uploader(node);
            String session = up.start(serviceId, "g" + System.nanoTime(), "docs/a.txt", 0, 1, data, 1024);
            up.chunk(session, 0, data, 1024);

            JsonObject uploaded = files.nextOfType("file_uploaded", T);
            assertEquals("file_operations", uploaded.getString("topic"));
            assertIso(uploaded.getString("timestamp"));
            JsonObject d = uploaded.getJsonObject("data");
            String key = "services/" + serviceId + "/files/docs/a.txt";
            assertEquals(key, d.getString("key"));
            assertEquals(data.length, d.getJsonNumber("size").longValue());
            assertFalse(d.getString("node").isEmpty());
            assertIso(d.getString("timestamp"));
            assertEquals(Uploader.sha256(data), d.getString("hash"));

            String again = up.start(serviceId, "g" + System.nanoTime(), "docs/a.txt", 0, 1, data, 1024);
            up.chunk(again, 0, data, 1024);
            assertEquals(key, files.nextOfType("file_updated", T).getJsonObject("data").getString("key"));

            assertEquals(204, Api.call(server, "DELETE", "/api/services/" + serviceId + "/files/docs/a.txt", admin, null).status());
            JsonObject deleted = files.nextOfType("file_deleted", T);
            assertEquals(key, deleted.getJsonObject("data").getString("key"));

            for (JsonObject m : other.drain(Duration.ofSeconds(1))) {
                assertFalse(m.getString("type").startsWith("file_"), "not subscribed to file_operations: " + m);
            }
        }
    }

    @Test
    void systemSubscribersGetRealFiguresOnTheConfiguredInterval() {
        for (int i = 0; i < 5; i++) {
            assertEquals(200, Api.call(server, "GET", "/api/services", admin, null).status());
        }
        try (WsClient c = connect("")) {
            subscribe(c, "system");
            JsonObject m = c.nextOfType("system_metrics", T);
            assertEquals("system", m.getString("topic"));
            JsonObject storage = m.getJsonObject("data").getJsonObject("storage");
            long total = storage.getJsonNumber("totalSpace").longValue();
            assertTrue(total > 0, storage.toString());
            assertEquals(total, storage.getJsonNumber("usedSpace").longValue() + storage.getJsonNumber("availableSpace").longValue());
            JsonObject network = m.getJsonObject("data").getJsonObject("network");
            assertTrue(network.getInt("activeConnections") >= 1, network.toString());
            assertTrue(network.getJsonNumber("totalBytesTransferred").longValue() > 0, network.toString());
            JsonObject performance = m.getJsonObject("data").getJsonObject("performance");
            assertTrue(performance.getJsonNumber("requestsPerSecond").doubleValue() > 0, performance.toString());
            assertTrue(performance.getJsonNumber("averageResponseTime").doubleValue() > 0, performance.toString());
            c.nextOfType("storage_metrics", T);
            c.nextOfType("network_metrics", T);
            c.nextOfType("performance_metrics", T);
        }
    }

    @Test
    void refusedCredentialsPastTheThresholdRaiseOneSecurityAlertAndThenItsResolution() {
        try (WsClient c = connect("?token=" + admin)) {
            subscribe(c, "alerts");
            c.drain(Duration.ofMillis(1500));
            for (int i = 0; i < 8; i++) {
                assertEquals(401, Api.login(server, "admin", "wrong-" + i).status());
            }
            JsonObject alert = c.next(m -> m.getString("type").equals("security_alert")
                    && !m.getJsonObject("data").getString("level").equals("resolved"), T);
            JsonObject d = alert.getJsonObject("data");
            assertEquals("alerts", alert.getString("topic"));
            assertEquals("auth_failures", d.getString("metric"));
            assertEquals("warning", d.getString("level"));
            assertTrue(d.getJsonNumber("value").doubleValue() >= 3, d.toString());
            assertEquals(3.0, d.getJsonNumber("threshold").doubleValue());
            assertIso(d.getString("timestamp"));
            JsonObject resolved = c.next(m -> m.getString("type").equals("security_alert"), T);
            assertEquals("resolved", resolved.getJsonObject("data").getString("level"), "once per crossing, then its end");
        }
    }

    /**
     * Issue 12, item 3: topic subscription permissions (spec/vault.md, Message Validation). Unauthenticated, the
     * configured topics only (by default all but alerts); after an auth message, alerts too.
     */
    @Test
    void alertsNeedAnAuthenticatedClientTheOtherTopicsDoNot() {
        try (WsClient c = connect("")) {
            for (String topic : List.of("file_operations", "peer_network", "system")) {
                subscribe(c, topic);
            }
            c.send("{\"type\":\"subscribe\",\"topic\":\"alerts\"}");
            JsonObject e = error(c);
            assertEquals("AUTH_REQUIRED", e.getString("code"));
            assertTrue(e.getString("message").contains("alerts"), e.toString());
            c.send("{\"type\":\"ping\"}");
            c.nextOfType("pong", T);
            c.send("{\"type\":\"unsubscribe\",\"topic\":\"system\"}");
            JsonObject r = c.next(m -> m.getString("type").equals("unsubscribed"), T);
            assertFalse(r.getJsonObject("data").getJsonArray("subscriptions").toString().contains("alerts"), r.toString());
            c.send("{\"type\":\"auth\",\"token\":\"" + admin + "\"}");
            c.nextOfType("authenticated", T);
            subscribe(c, "alerts");
        }
        try (WsClient c = connect("?token=" + admin)) {
            subscribe(c, "alerts");
        }
    }

    @Test
    void tokensFromTheQueryTheHeaderOrAnAuthMessageAuthenticateAndBadOnesGetAuthFailed() throws Exception {
        try (WsClient c = WsClient.connect(server.ws("/ws?token=" + admin))) {
            JsonObject hello = c.nextOfType("connected", T).getJsonObject("data");
            assertTrue(hello.getBoolean("authenticated"));
            assertEquals("admin", hello.getString("user"));
        }
        try (WsClient c = WsClient.connect(server.ws("/ws"), Map.of("Authorization", "Bearer " + admin))) {
            assertTrue(c.nextOfType("connected", T).getJsonObject("data").getBoolean("authenticated"));
        }
        Tokens tokens = new Tokens(server);
        try (WsClient c = WsClient.connect(server.ws("/ws?token=" + tokens.tampered(admin)))) {
            assertFalse(c.nextOfType("connected", T).getJsonObject("data").getBoolean("authenticated"));
            assertEquals("AUTH_FAILED", error(c).getString("code"));
            c.send("{\"type\":\"auth\",\"token\":\"" + tokens.none() + "\"}");
            assertEquals("AUTH_FAILED", error(c).getString("code"));
            c.send("{\"type\":\"auth\"}");
            assertEquals("AUTH_FAILED", error(c).getString("code"));
            c.send("{\"type\":\"auth\",\"data\":{\"token\":\"" + admin + "\"}}");
            assertEquals("admin", c.nextOfType("authenticated", T).getJsonObject("data").getString("user"));
            subscribe(c, "alerts");
        }
    }

    @Test
    void everyKindOfBadInputGetsAnErrorFrameAndTheConnectionLives() throws Exception {
        try (WsClient c = connect("")) {
            String[][] cases = {
                    {"{not json", "INVALID_MESSAGE"},
                    {"[1,2]", "INVALID_MESSAGE"},
                    {"{\"topic\":\"system\"}", "INVALID_MESSAGE"},
                    {"{\"type\":42,\"topic\":\"system\"}", "INVALID_MESSAGE"},
                    {"{\"type\":\"subscribe\"}", "INVALID_MESSAGE"},
                    {"{\"type\":\"subscribe\",\"topic\":7}", "INVALID_MESSAGE"},
                    {"{\"type\":\"unsubscribe\",\"topic\":\"nope\"}", "INVALID_MESSAGE"},
                    {"{\"type\":\"publish\",\"topic\":\"system\"}", "INVALID_MESSAGE"},
                    {"{\"type\":\"auth\",\"token\":5}", "AUTH_FAILED"},
            };
            for (String[] bad : cases) {
                c.send(bad[0]);
                JsonObject e = error(c);
                assertEquals(bad[1], e.getString("code"), bad[0]);
                assertFalse(e.getString("message").isEmpty());
            }
            c.sendBinary(new byte[] {1, 2, 3});
            assertEquals("INVALID_MESSAGE", error(c).getString("code"));
            c.send("{\"type\":\"ping\"}");
            c.nextOfType("pong", T);
            subscribe(c, "peer_network");
        }
    }

    @Test
    void aFloodPastOneHundredPerSecondIsAnsweredWithRetryAfterAndServedAgainLater() {
        try (WsClient c = connect("")) {
            for (int i = 0; i < 300; i++) {
                c.send("{\"type\":\"ping\"}");
            }
            JsonObject limited = c.next(m -> m.getString("type").equals("error"), T).getJsonObject("data");
            assertEquals("RATE_LIMIT_EXCEEDED", limited.getString("code"));
            assertTrue(limited.getInt("retryAfter") >= 1, limited.toString());
            List<JsonObject> rest = c.drain(Duration.ofMillis(1500));
            long pongs = rest.stream().filter(m -> m.getString("type").equals("pong")).count();
            assertTrue(pongs < 250, "the excess was dropped, not answered: " + pongs);
            c.send("{\"type\":\"ping\"}");
            c.nextOfType("pong", T);
        }
    }

    @Test
    void aMessageOverOneMegabyteClosesWith1009() {
        try (WsClient c = connect("")) {
            c.send("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(1024 * 1024) + "\"}");
            assertEquals(1009, c.awaitClose(T).code());
        }
    }

    @Test
    void pastTheConnectionLimitAClientGetsConnectionRefusedAnd1013() {
        List<WsClient> open = new ArrayList<>();
        try {
            WsClient refused = null;
            for (int i = 0; i < 41 && refused == null; i++) {
                WsClient c = WsClient.connect(server.ws("/ws"));
                open.add(c);
                JsonObject first = c.next(T);
                if (first.getString("type").equals("error")) {
                    refused = c;
                    assertEquals("CONNECTION_REFUSED", first.getJsonObject("data").getString("code"));
                }
            }
            assertTrue(refused != null, "the 41st connection of a 40-connection server is refused");
            assertEquals(1013, refused.awaitClose(T).code());
        } finally {
            open.forEach(WsClient::close);
        }
        try (WsClient again = connect("")) {
            subscribe(again, "system");
        }
    }

    @Test
    void healthMetricsAndStatusReportTheLiveFigures() {
        try (WsClient c = connect("")) {
            subscribe(c, "peer_network");
            JsonObject health = json(Api.get(server, "/ws/health"));
            assertEquals("healthy", health.getString("status"));
            assertTrue(health.getInt("connections") >= 1);
            JsonObject metrics = json(Api.get(server, "/ws/metrics"));
            assertTrue(metrics.getJsonObject("subscriptions").getInt("peer_network") >= 1, metrics.toString());
            assertTrue(metrics.getJsonNumber("messagesIn").longValue() >= 1);
            assertTrue(metrics.getJsonNumber("messagesOut").longValue() >= 2);
            JsonObject status = json(Api.get(server, "/ws/status"));
            assertEquals("running", status.getString("status"));
            assertEquals(40, status.getInt("maxConnections"));
            assertEquals(4, status.getJsonArray("topics").size());
        }
    }

    @Test
    void anyOriginIsAllowedByDefaultAsTheSpecSays() throws Exception {
        RawWebSocket.Handshake h = RawWebSocket.handshake(server.port(), "/ws", Map.of("Origin", "https://dashboard.example"));
        assertEquals(101, h.status());
        RawWebSocket.Handshake node = RawWebSocket.handshake(server.port(), "/api/ws?token=" + admin,
                Map.of("Origin", "https://dashboard.example"));
        assertEquals(403, node.status(), "the node dialect keeps its own allow-list");
    }

    private static JsonObject json(Api.Reply r) {
        assertEquals(200, r.status(), r.body());
        try (var reader = Json.createReader(new StringReader(r.body()))) {
            return reader.readObject();
        }
    }
}
