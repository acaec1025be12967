package dev.switchboard.it;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.switchboard.it.Rtc.T;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input for every client message of spec/rtc.md: the spec's Error frame or close code, and the connection lives on. */
class RtcBadInputIT {

    private static AppServer server;
    private static Rtc rtc;

    @BeforeAll
    static void setUp() throws Exception {
        server = SharedServer.get();
        rtc = new Rtc(server);
    }

    /** Each case: the frame, the error code expected, the field named in details (null: none). */
    private record Case(int code, String field) {
    }

    @Test
    void everyMalformedMessageGetsItsErrorAndTheConnectionLives() throws Exception {
        Map<String, Case> cases = new LinkedHashMap<>();
        cases.put("{not json", new Case(400, null));
        cases.put("[1,2,3]", new Case(400, null));
        cases.put("\"Ping\"", new Case(400, null));
        cases.put("{\"data\":{}}", new Case(400, "type"));
        cases.put("{\"type\":42}", new Case(400, "type"));
        cases.put("{\"type\":\"\"}", new Case(400, "type"));
        cases.put("{\"type\":\"Ping\",\"id\":7}", new Case(400, "id"));
        cases.put("{\"type\":\"Ping\",\"timestamp\":\"yesterday\"}", new Case(400, "timestamp"));
        cases.put("{\"type\":\"Ping\",\"metadata\":[]}", new Case(400, "metadata"));
        cases.put("{\"type\":\"Ping\",\"data\":{\"timestamp\":\"x\"}}", new Case(400, "timestamp"));
        cases.put("{\"type\":\"Ping\",\"data\":5}", new Case(400, "data"));
        cases.put("{\"type\":\"NoSuchType\",\"data\":{}}", new Case(400, "type"));
        cases.put("{\"type\":\"X-\",\"data\":{}}", new Case(400, "type"));
        // Subscribe / Unsubscribe
        cases.put("{\"type\":\"Subscribe\"}", new Case(400, "data"));
        cases.put("{\"type\":\"Subscribe\",\"data\":{}}", new Case(400, "topics"));
        cases.put("{\"type\":\"Subscribe\",\"data\":{\"topics\":\"a\"}}", new Case(400, "topics"));
        cases.put("{\"type\":\"Subscribe\",\"data\":{\"topics\":[]}}", new Case(400, "topics"));
        cases.put("{\"type\":\"Subscribe\",\"data\":{\"topics\":[1]}}", new Case(400, "topics"));
        cases.put("{\"type\":\"Subscribe\",\"data\":{\"topics\":[\"a..b\"]}}", new Case(400, "topics"));
        cases.put("{\"type\":\"Subscribe\",\"data\":{\"topics\":[\"#.a\"]}}", new Case(400, "topics"));
        cases.put("{\"type\":\"Subscribe\",\"data\":{\"topics\":[\"a*\"]}}", new Case(400, "topics"));
        cases.put("{\"type\":\"Subscribe\",\"data\":{\"topics\":[\"" + "t".repeat(257) + "\"]}}", new Case(400, "topics"));
        cases.put("{\"type\":\"Unsubscribe\",\"data\":{\"topics\":null}}", new Case(400, "topics"));
        // Broadcast
        cases.put("{\"type\":\"Broadcast\",\"id\":\"b1\",\"data\":{\"payload\":{}}}", new Case(400, "topic"));
        cases.put("{\"type\":\"Broadcast\",\"data\":{\"topic\":5,\"payload\":{}}}", new Case(400, "topic"));
        cases.put("{\"type\":\"Broadcast\",\"data\":{\"topic\":\"a.b\"}}", new Case(400, "payload"));
        cases.put("{\"type\":\"Broadcast\",\"data\":{\"topic\":\"a.*\",\"payload\":{}}}", new Case(400, "topic"));
        cases.put("{\"type\":\"Broadcast\",\"data\":{\"topic\":\"presence.bob\",\"payload\":{}}}", new Case(403, "topic"));
        // DirectMessage
        cases.put("{\"type\":\"DirectMessage\",\"data\":{\"payload\":{}}}", new Case(400, "target_user"));
        cases.put("{\"type\":\"DirectMessage\",\"data\":{\"target_user\":[],\"payload\":{}}}", new Case(400, "target_user"));
        cases.put("{\"type\":\"DirectMessage\",\"data\":{\"target_user\":\"bob\"}}", new Case(400, "payload"));
        cases.put("{\"type\":\"DirectMessage\",\"data\":{\"target_user\":\"bob\",\"payload\":{}},\"metadata\":{\"ttl\":-1}}", new Case(400, "metadata.ttl"));
        cases.put("{\"type\":\"DirectMessage\",\"data\":{\"target_user\":\"bob\",\"payload\":{}},\"metadata\":{\"ttl\":\"1h\"}}", new Case(400, "metadata.ttl"));
        // Presence
        cases.put("{\"type\":\"Presence\",\"data\":{}}", new Case(400, "status"));
        cases.put("{\"type\":\"Presence\",\"data\":{\"status\":\"offline\"}}", new Case(400, "status"));
        cases.put("{\"type\":\"Presence\",\"data\":{\"status\":\"away\",\"metadata\":\"web\"}}", new Case(400, "metadata"));
        try (Rtc.Client c = rtc.connect(Rtc.user("bad"))) {
            for (var e : cases.entrySet()) {
                c.send(e.getKey());
                JsonObject frame = c.ws().next(T);
                assertEquals("Error", frame.getString("type"), e.getKey() + " → " + frame);
                JsonObject data = frame.getJsonObject("data");
                assertEquals(e.getValue().code(), data.getInt("code"), e.getKey());
                assertFalse(data.getString("message").isBlank());
                JsonObject details = data.getJsonObject("details");
                if (e.getValue().field() != null) {
                    assertEquals(e.getValue().field(), details.getString("field"), e.getKey() + " → " + frame);
                }
            }
            c.send("{\"type\":\"Broadcast\",\"id\":\"b9\",\"data\":{\"payload\":{}}}");
            assertEquals("b9", c.next("Error").getJsonObject("data").getJsonObject("details").getString("message_id"),
                    "the message id travels back in details");
            c.send("{\"type\":\"Ping\",\"data\":{\"timestamp\":1}}");
            assertEquals("Pong", c.ws().next(T).getString("type"));
        }
    }

    @Test
    void badBinaryFrames() throws Exception {
        try (Rtc.Client c = rtc.connect(Rtc.user("badbin"))) {
            // declared 10, carries 3
            c.ws().sendBinary(ByteBuffer.allocate(8).put((byte) 1).putInt(10).put(new byte[] {1, 2, 3}).array());
            JsonObject e = c.next("Error").getJsonObject("data");
            assertEquals(400, e.getInt("code"));
            assertEquals("length", e.getJsonObject("details").getString("field"));
            // declared 1, carries 3
            c.ws().sendBinary(ByteBuffer.allocate(8).put((byte) 2).putInt(1).put(new byte[] {1, 2, 3}).array());
            assertEquals("length", c.next("Error").getJsonObject("data").getJsonObject("details").getString("field"));
            c.ws().sendBinary(new byte[] {1, 0});
            assertEquals("header", c.next("Error").getJsonObject("data").getJsonObject("details").getString("field"));
            c.ws().sendBinary(ByteBuffer.allocate(6).put((byte) 9).putInt(1).put((byte) 0).array());
            assertEquals("type", c.next("Error").getJsonObject("data").getJsonObject("details").getString("field"));
            c.ws().sendBinary(ByteBuffer.allocate(5).put((byte) 4).putInt(0).array());
            JsonObject ok = c.next("Status").getJsonObject("data").getJsonObject("details");
            assertEquals(0, ok.getInt("size"));
            assertEquals("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", ok.getString("checksum"));
        }
    }

    @Test
    void aTextMessageOf64KiBIsAcceptedOneByteMoreCloses1009() throws Exception {
        int max = 65536;
        String prefix = "{\"type\":\"Ping\",\"metadata\":{\"pad\":\"";
        String suffix = "\"}}";
        try (Rtc.Client c = rtc.connect(Rtc.user("big"))) {
            c.send(prefix + "a".repeat(max - prefix.length() - suffix.length()) + suffix);
            c.next("Pong");
            c.send(prefix + "a".repeat(max + 1 - prefix.length() - suffix.length()) + suffix);
            assertEquals(1009, c.ws().awaitClose(Duration.ofSeconds(20)).code());
        }
    }

    @Test
    void anOversizedBinaryFrameCloses1009() throws Exception {
        try (Rtc.Client c = rtc.connect(Rtc.user("bigbin"))) {
            int n = 65536 + 1 - 5;
            c.ws().sendBinary(ByteBuffer.allocate(5 + n).put((byte) 3).putInt(n).array());
            assertEquals(1009, c.ws().awaitClose(Duration.ofSeconds(20)).code());
        }
    }

    @Test
    void subscribingPastTheLimitIsRefusedWholeWith403() throws Exception {
        try (Rtc.Client c = rtc.connect(Rtc.user("many"))) {
            var first = jakarta.json.Json.createArrayBuilder();
            for (int i = 0; i < 99; i++) {
                first.add("t." + i);
            }
            c.send("{\"type\":\"Subscribe\",\"data\":{\"topics\":" + first.build() + "}}");
            assertEquals(99, c.next("Status").getJsonObject("data").getJsonObject("details").getInt("active_subscriptions"));
            c.send("{\"type\":\"Subscribe\",\"data\":{\"topics\":[\"t.0\",\"x.1\",\"x.2\"]}}");
            JsonObject e = c.next("Error").getJsonObject("data");
            assertEquals(403, e.getInt("code"));
            assertEquals(100, e.getJsonObject("details").getInt("limit"));
            assertEquals(99, e.getJsonObject("details").getInt("active_subscriptions"));
            c.send("{\"type\":\"Subscribe\",\"data\":{\"topics\":[\"t.0\",\"x.1\"]}}");
            assertEquals(100, c.next("Status").getJsonObject("data").getJsonObject("details").getInt("active_subscriptions"));
        }
    }

    @Test
    void aFloodPastTheRateLimitGets429WithRetryAfterAndTheConnectionLives() throws Exception {
        String token = rtc.token(Rtc.user("flood"));
        try (RawWebSocket raw = RawWebSocket.open(server.port(), "/rtc/ws?token=" + token, Map.of(), 0)) {
            assertEquals(101, raw.handshake().status());
            RawWebSocket.FloodWatch flood = raw.watchFlood("\"Pong\"", "429");
            for (int i = 0; i < 3000; i++) {
                raw.sendText("{\"type\":\"Ping\",\"id\":\"p" + i + "\"}");
            }
            JsonObject error = RtcProtocolIT.json(flood.limited.get(30, TimeUnit.SECONDS));
            assertEquals("Error", error.getString("type"));
            JsonObject details = error.getJsonObject("data").getJsonObject("details");
            assertTrue(details.getInt("retry_after") >= 1);
            assertTrue(details.getInt("retry_after_ms") >= 1);
            Thread.sleep(1500);
            int before = flood.answers.get();
            raw.sendText("{\"type\":\"Ping\"}");
            assertTrue(flood.answeredAfter(before, T.toMillis()), "answers again after the retry delay");
            assertTrue(flood.answers.get() < 3000, "most of the flood was dropped: " + flood.answers.get());
        }
    }
}
