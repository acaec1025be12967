package dev.switchboard.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.net.http.WebSocketHandshakeException;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static dev.switchboard.it.Rtc.T;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Conformance: every example of spec/rtc.md replayed on the wire, byte for byte where the spec fixes the values. */
class RtcProtocolIT {

    private static AppServer server;
    private static Rtc rtc;

    @BeforeAll
    static void setUp() throws Exception {
        server = SharedServer.get();
        rtc = new Rtc(server);
    }

    static JsonObject json(String text) {
        try (var r = Json.createReader(new StringReader(text))) {
            return r.readObject();
        }
    }

    @Test
    void welcomeStatusOnConnect() throws Exception {
        try (WsClient ws = WsClient.connect(server.ws("/rtc/ws?token=" + rtc.token(Rtc.user("w"))))) {
            JsonObject m = ws.next(T);
            assertEquals("Status", m.getString("type"));
            JsonObject data = m.getJsonObject("data");
            assertEquals("connected", data.getString("status"));
            JsonObject d = data.getJsonObject("details");
            UUID.fromString(d.getString("connection_id"));
            long serverTime = d.getJsonNumber("server_time").longValue();
            assertTrue(Math.abs(serverTime - System.currentTimeMillis() / 1000) < 5, "unix seconds: " + serverTime);
            assertEquals("1.0", d.getString("protocol_version"));
            var features = d.getJsonArray("features").getValuesAs(jakarta.json.JsonString::getString);
            assertTrue(features.containsAll(Set.of("broadcast", "direct_message", "presence")), features.toString());
        }
    }

    @Test
    void theThreeAuthenticationMethods() throws Exception {
        String token = rtc.token(Rtc.user("auth"));
        try (WsClient q = WsClient.connect(server.ws("/rtc/ws?token=" + token))) {
            assertEquals("connected", q.next(T).getJsonObject("data").getString("status"));
        }
        try (WsClient h = WsClient.connect(server.ws("/rtc/ws"), Map.of("Authorization", "Bearer " + token))) {
            assertEquals("connected", h.next(T).getJsonObject("data").getString("status"));
        }
        try (WsClient p = WsClient.connect(server.ws("/rtc/ws"), Map.of(), "access_token." + token)) {
            assertEquals("access_token." + token, p.subprotocol());
            assertEquals("connected", p.next(T).getJsonObject("data").getString("status"));
        }
    }

    @Test
    void noTokenOrABadTokenIsRefusedAtTheHandshake() throws Exception {
        var none = assertThrows(WebSocketHandshakeException.class, () -> WsClient.connectOrFail(server.ws("/rtc/ws"), Map.of()));
        assertEquals(401, none.getResponse().statusCode());
        String forged = new Tokens(server).hs256WithPublicKey();
        var bad = assertThrows(WebSocketHandshakeException.class,
                () -> WsClient.connectOrFail(server.ws("/rtc/ws?token=" + forged), Map.of()));
        assertEquals(401, bad.getResponse().statusCode());
    }

    @Test
    void pingPong() throws Exception {
        try (Rtc.Client c = rtc.connect(Rtc.user("ping"))) {
            c.send("""
                    {"type": "Ping", "data": {"timestamp": 1234567890}}""");
            assertEquals(json("""
                    {"type": "Pong", "data": {"timestamp": 1234567890}}"""), c.next("Pong"));
        }
    }

    @Test
    void subscribeThenUnsubscribe() throws Exception {
        try (Rtc.Client c = rtc.connect(Rtc.user("sub"))) {
            c.send("""
                    {"type": "Subscribe", "data": {"topics": ["notifications", "chat.general", "updates.*"]}}""");
            assertEquals(json("""
                    {"type": "Status", "data": {"status": "subscribed", "details": {
                      "topics": ["notifications", "chat.general", "updates.*"], "active_subscriptions": 3}}}"""), c.next("Status"));
            c.send("""
                    {"type": "Unsubscribe", "data": {"topics": ["chat.general"]}}""");
            assertEquals(json("""
                    {"type": "Status", "data": {"status": "unsubscribed", "details": {
                      "topics": ["chat.general"], "active_subscriptions": 2}}}"""), c.next("Status"));
        }
    }

    @Test
    void broadcastIsDeliveredToEveryMatchingSubscriberWithMetadataAndAckedWithTheTrueCount() throws Exception {
        String topic = "chat.general" + UUID.randomUUID().toString().substring(0, 6);
        try (Rtc.Client sender = rtc.connect(Rtc.user("user123"));
             Rtc.Client exact = rtc.connect(Rtc.user("exact"));
             Rtc.Client wildcard = rtc.connect(Rtc.user("wild"));
             Rtc.Client other = rtc.connect(Rtc.user("other"))) {
            subscribe(exact, topic);
            subscribe(wildcard, "chat.*");
            subscribe(other, "chat.elsewhere");
            String payload = """
                    {"message": "Hello everyone!", "sender": "user123", "metadata": {"mood": "happy"}}""";
            sender.send("""
                    {"type": "Broadcast", "data": {"topic": "%s", "payload": %s}, "id": "msg_123456"}""".formatted(topic, payload));
            assertEquals(json("""
                    {"type": "Ack", "data": {"message_id": "msg_123456", "status": "delivered", "recipients": 2}}"""), sender.next("Ack"));
            for (Rtc.Client c : new Rtc.Client[] {exact, wildcard}) {
                JsonObject data = c.next("Broadcast").getJsonObject("data");
                assertEquals(topic, data.getString("topic"));
                assertEquals(json(payload), data.getJsonObject("payload"));
                assertEquals("msg_123456", data.getJsonObject("metadata").getString("message_id"));
                long sentAt = data.getJsonObject("metadata").getJsonNumber("sent_at").longValue();
                assertTrue(Math.abs(sentAt - System.currentTimeMillis() / 1000) < 5);
            }
            // the non-matching subscriber got nothing: its next frame is the answer to its own ping
            other.send("{\"type\":\"Ping\",\"data\":{\"timestamp\":7}}");
            assertEquals("Pong", other.ws().next(T).getString("type"));
        }
    }

    @Test
    void wildcardsOneSegmentAndTheRest() throws Exception {
        String base = "updates" + UUID.randomUUID().toString().substring(0, 6);
        try (Rtc.Client sender = rtc.connect(Rtc.user("s"));
             Rtc.Client one = rtc.connect(Rtc.user("one"));
             Rtc.Client rest = rtc.connect(Rtc.user("rest"))) {
            subscribe(one, base + ".*");
            subscribe(rest, base + ".#");
            sender.send("{\"type\":\"Broadcast\",\"id\":\"a\",\"data\":{\"topic\":\"" + base + ".a\",\"payload\":1}}");
            assertEquals(2, sender.next("Ack").getJsonObject("data").getInt("recipients"));
            sender.send("{\"type\":\"Broadcast\",\"id\":\"b\",\"data\":{\"topic\":\"" + base + ".a.b\",\"payload\":2}}");
            assertEquals(1, sender.next("Ack").getJsonObject("data").getInt("recipients"));
            sender.send("{\"type\":\"Broadcast\",\"id\":\"c\",\"data\":{\"topic\":\"" + base + "\",\"payload\":3}}");
            assertEquals(0, sender.next("Ack").getJsonObject("data").getInt("recipients"));
            assertEquals(1, one.next("Broadcast").getJsonObject("data").getInt("payload"));
            assertEquals(1, rest.next("Broadcast").getJsonObject("data").getInt("payload"));
            assertEquals(2, rest.next("Broadcast").getJsonObject("data").getInt("payload"));
            one.send("{\"type\":\"Ping\"}");
            assertEquals("Pong", one.ws().next(T).getString("type"), "updates.* must not get updates.a.b");
        }
    }

    @Test
    void aSubscriberHoldingTwoMatchingPatternsGetsOneCopy() throws Exception {
        String base = "dup" + UUID.randomUUID().toString().substring(0, 6);
        try (Rtc.Client c = rtc.connect(Rtc.user("dup"))) {
            c.send("{\"type\":\"Subscribe\",\"data\":{\"topics\":[\"" + base + ".x\",\"" + base + ".*\",\"" + base + ".#\"]}}");
            assertEquals(3, c.next("Status").getJsonObject("data").getJsonObject("details").getInt("active_subscriptions"));
            c.send("{\"type\":\"Broadcast\",\"id\":\"once\",\"data\":{\"topic\":\"" + base + ".x\",\"payload\":{}}}");
            // a subscribed sender gets its own broadcast, queued before the Ack
            assertEquals("Broadcast", c.ws().next(T).getString("type"));
            assertEquals(1, c.next("Ack").getJsonObject("data").getInt("recipients"));
            c.send("{\"type\":\"Ping\"}");
            assertEquals("Pong", c.ws().next(T).getString("type"));
        }
    }

    @Test
    void directMessageToEveryConnectionOfTheUser() throws Exception {
        String target = Rtc.user("user456");
        String sender = Rtc.user("user123");
        try (Rtc.Client from = rtc.connect(sender);
             Rtc.Client a = rtc.connect(target);
             Rtc.Client b = rtc.connect(target)) {
            String payload = """
                    {"message": "Private message", "attachments": []}""";
            from.send("""
                    {"type": "DirectMessage", "data": {"target_user": "%s", "payload": %s}, "id": "dm_789012"}""".formatted(target, payload));
            JsonObject ack = from.next("Ack").getJsonObject("data");
            assertEquals("dm_789012", ack.getString("message_id"));
            assertEquals("delivered", ack.getString("status"));
            assertEquals(Set.of(a.connectionId(), b.connectionId()),
                    Set.copyOf(ack.getJsonArray("delivered_to").getValuesAs(jakarta.json.JsonString::getString)));
            for (Rtc.Client c : new Rtc.Client[] {a, b}) {
                JsonObject data = c.next("DirectMessage").getJsonObject("data");
                assertEquals(sender, data.getString("from_user"));
                assertEquals(json(payload), data.getJsonObject("payload"));
                assertEquals("dm_789012", data.getJsonObject("metadata").getString("message_id"));
                assertTrue(data.getJsonObject("metadata").containsKey("sent_at"));
            }
        }
    }

    @Test
    void directMessageToAnOfflineUserIsQueuedWith404() throws Exception {
        String target = Rtc.user("user456");
        try (Rtc.Client from = rtc.connect(Rtc.user("user123"))) {
            from.send("""
                    {"type": "DirectMessage", "data": {"target_user": "%s", "payload": {"message": "Private message"}}, "id": "dm_789012"}"""
                    .formatted(target));
            assertEquals(json("""
                    {"type": "Error", "data": {"code": 404, "message": "User %s not found or not connected",
                      "details": {"message_id": "dm_789012", "queued": true}}}""".formatted(target)), from.next("Error"));
        }
    }

    @Test
    void notificationFromTheAdminEndpoint() throws Exception {
        String user = Rtc.user("notified");
        try (Rtc.Client c = rtc.connect(user)) {
            String body = """
                    {"level": "info", "title": "Maintenance Notice", "message": "System will undergo maintenance in 1 hour",
                     "actions": [{"label": "Learn More", "url": "https://status.example.com"}], "user": "%s"}""".formatted(user);
            Api.Reply r = Api.call(server, "POST", "/api/notifications", Api.adminToken(server), body);
            assertEquals(202, r.status(), r.body());
            assertEquals(1, r.json().getInt("recipients"));
            assertEquals(json("""
                    {"type": "Notification", "data": {"level": "info", "title": "Maintenance Notice",
                      "message": "System will undergo maintenance in 1 hour",
                      "actions": [{"label": "Learn More", "url": "https://status.example.com"}]}}"""), c.next("Notification"));
        }
    }

    @Test
    void presenceUpdates() throws Exception {
        String user = Rtc.user("user789");
        try (Rtc.Client watcher = rtc.connect(Rtc.user("watcher"))) {
            subscribe(watcher, "presence." + user);
            try (Rtc.Client u = rtc.connect(user)) {
                JsonObject online = watcher.next("Presence").getJsonObject("data");
                assertEquals(user, online.getString("user_id"));
                assertEquals("online", online.getString("status"));
                u.send("""
                        {"type": "Presence", "data": {"status": "online", "metadata": {"device": "web", "location": "New York"}}}""");
                assertEquals("presence_updated", u.next("Status").getJsonObject("data").getString("status"));
                JsonObject p = watcher.next("Presence").getJsonObject("data");
                assertEquals(json("""
                        {"device": "web", "location": "New York"}"""), p.getJsonObject("metadata"));
                assertTrue(Math.abs(p.getJsonNumber("last_seen").longValue() - System.currentTimeMillis() / 1000) < 5);
            }
            JsonObject offline = watcher.next("Presence").getJsonObject("data");
            assertEquals("offline", offline.getString("status"));
            assertEquals(user, offline.getString("user_id"));
        }
    }

    @Test
    void tokenExpiringThenClosedAtExp() throws Exception {
        // the shared server warns 3 s before exp; this token lives 6 s
        try (Rtc.Client c = rtc.connectWith(rtc.token(Rtc.user("expiring"), 6))) {
            JsonObject auth = c.ws().nextOfType("AuthStatus", java.time.Duration.ofSeconds(8)).getJsonObject("data");
            assertEquals("token_expiring", auth.getString("status"));
            assertTrue(auth.getBoolean("refresh_required"));
            long expiresAt = auth.getJsonNumber("expires_at").longValue();
            assertTrue(Math.abs(expiresAt - System.currentTimeMillis() / 1000 - 3) <= 2, "expires_at " + expiresAt);
            WsClient.Closed closed = c.ws().awaitClose(java.time.Duration.ofSeconds(10));
            assertEquals(4001, closed.code());
            assertEquals("Token expired", closed.reason());
        }
    }

    @Test
    void binaryFrameAcknowledgedWithItsChecksum() throws Exception {
        try (Rtc.Client c = rtc.connect(Rtc.user("bin"))) {
            byte[] payload = new byte[1024];
            new java.util.Random(7).nextBytes(payload);
            java.nio.ByteBuffer frame = java.nio.ByteBuffer.allocate(5 + payload.length).put((byte) 0x03).putInt(payload.length).put(payload);
            c.ws().sendBinary(frame.array());
            String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(payload));
            assertEquals(json("""
                    {"type": "Status", "data": {"status": "binary_received", "details": {
                      "size": 1024, "type": "file_transfer", "checksum": "sha256:%s"}}}""".formatted(sha)), c.next("Status"));
            String[] names = {"broadcast", "direct_message", "file_transfer", "stream_data"};
            for (int t = 1; t <= 4; t++) {
                c.ws().sendBinary(java.nio.ByteBuffer.allocate(6).put((byte) t).putInt(1).put((byte) 42).array());
                assertEquals(names[t - 1], c.next("Status").getJsonObject("data").getJsonObject("details").getString("type"));
            }
        }
    }

    @Test
    void customTypesReachApplicationCode() throws Exception {
        try (Rtc.Client c = rtc.connect(Rtc.user("custom"))) {
            // the spec's example: no observer answers X-CustomAction, and it is no error either
            c.send("""
                    {"type": "X-CustomAction", "data": {"action": "special_operation", "parameters": {}}}""");
            c.send("{\"type\":\"X-Echo\",\"id\":\"e1\",\"data\":{\"action\":\"special_operation\",\"parameters\":{}}}");
            JsonObject echo = c.ws().next(T);
            assertEquals("X-Echo", echo.getString("type"), echo.toString());
            assertEquals(json("{\"action\":\"special_operation\",\"parameters\":{}}"), echo.getJsonObject("data").getJsonObject("echo"));
            assertEquals("e1", echo.getJsonObject("data").getString("message_id"));
        }
    }

    @Test
    void metadataHeadersAreAcceptedOnAnyMessage() throws Exception {
        try (Rtc.Client c = rtc.connect(Rtc.user("meta"))) {
            c.send("""
                    {"type": "Broadcast", "id": "m1", "data": {"topic": "meta.x", "payload": {}},
                     "metadata": {"priority": "high", "ttl": 3600, "encryption": "aes256", "compression": "gzip"}}""");
            assertEquals("m1", c.next("Ack").getJsonObject("data").getString("message_id"));
        }
    }

    @Test
    void theClientGuidesExampleFlowWithGeneratedIdsAndTimestamps() throws Exception {
        // what the spec's TypeScript client sends: {type, data, id: "msg_N", timestamp: Date.now()}
        try (Rtc.Client c = rtc.connect(Rtc.user("ts"))) {
            long now = System.currentTimeMillis();
            c.send("{\"type\":\"Subscribe\",\"data\":{\"topics\":[\"chat.general\",\"notifications\"]},\"id\":\"msg_1\",\"timestamp\":" + now + "}");
            assertEquals(2, c.next("Status").getJsonObject("data").getJsonObject("details").getInt("active_subscriptions"));
            c.send("{\"type\":\"Broadcast\",\"data\":{\"topic\":\"chat.general\",\"payload\":{\"message\":\"Hello from TypeScript client!\"}},\"id\":\"msg_2\",\"timestamp\":" + now + "}");
            assertEquals("Hello from TypeScript client!", c.next("Broadcast").getJsonObject("data").getJsonObject("payload").getString("message"));
            JsonObject ack = c.next("Ack").getJsonObject("data");
            assertEquals("msg_2", ack.getString("message_id"));
            assertTrue(ack.getInt("recipients") >= 1);
            assertFalse(c.ws().isClosed());
        }
    }

    static void subscribe(Rtc.Client c, String... topics) {
        var list = Json.createArrayBuilder();
        for (String t : topics) {
            list.add(t);
        }
        c.send(Json.createObjectBuilder().add("type", "Subscribe").add("data", Json.createObjectBuilder().add("topics", list)).build().toString());
        assertEquals("subscribed", c.next("Status").getJsonObject("data").getString("status"));
    }
}
