package dev.switchboard.it;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** spec/node.md, Connection Setup and Control Messages, on the wire. */
class NodeProtocolIT {

    private static final Duration T = Duration.ofSeconds(10);
    private static AppServer server;
    private static String token;

    @BeforeAll
    static void setUp() {
        server = SharedServer.get();
        token = Api.adminToken(server);
    }

    private static WsClient connect() {
        WsClient c = WsClient.connect(server.ws("/api/ws?token=" + token));
        c.nextOfType("connected", T);
        return c;
    }

    @Test
    void connectedCarriesThisNodesPeerIdInTheEnvelope() {
        try (WsClient c = WsClient.connect(server.ws("/api/ws?token=" + token))) {
            JsonObject m = c.next(T);
            assertEquals("connected", m.getString("type"));
            assertTrue(m.getJsonObject("payload").getString("peer_id").startsWith("12D3KooW"));
            long ts = m.getJsonNumber("timestamp").longValue();
            assertTrue(Math.abs(ts - System.currentTimeMillis() / 1000) < 5, "unix seconds: " + ts);
        }
    }

    @Test
    void pingGetsPong() {
        try (WsClient c = connect()) {
            c.send("{\"type\":\"ping\",\"payload\":null,\"timestamp\":1703520000}");
            JsonObject pong = c.nextOfType("pong", T);
            assertTrue(pong.isNull("payload"));
            assertTrue(pong.containsKey("timestamp"));
        }
    }

    /** Incoming frames are unmasked ahead of Tyrus (TyrusInput): a frame may arrive cut anywhere, even byte by byte. */
    @Test
    void aPingCutIntoSingleBytesIsReadWhole() throws Exception {
        try (RawWebSocket raw = RawWebSocket.open(server.port(), "/api/ws?token=" + token, Map.of(), 0)) {
            assertEquals(101, raw.handshake().status());
            assertTrue(raw.readFrame().text().contains("\"connected\""));
            raw.noDelay();
            byte[] ping = RawWebSocket.frame(0x1, "{\"type\":\"ping\",\"payload\":null,\"timestamp\":1703520000}"
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            for (byte b : ping) {
                raw.sendRaw(new byte[] {b});
                Thread.sleep(3); // separate segments, so the server reads the header in pieces
            }
            String answer;
            do {
                answer = raw.readFrame().text();
            } while (isPush(answer));
            assertTrue(answer.contains("\"pong\""), answer);
        }
    }

    /** The node pushes a shared server may send any connection at any moment (other tests change workflows, services, ...). */
    private static boolean isPush(String frame) {
        return frame.contains("\"node.status\"") || frame.matches("\\{\"type\":\"[a-z.]+\\.updated\".*");
    }

    /** A frame announcing 2^63 bytes or more (RFC 6455 requires the top bit clear) ends that connection only. */
    @Test
    void aFrameLengthOf2To63ClosesOnlyItsConnection() throws Exception {
        try (RawWebSocket raw = RawWebSocket.open(server.port(), "/api/ws?token=" + token, Map.of(), 0);
             WsClient bystander = connect()) {
            assertTrue(raw.readFrame().text().contains("\"connected\""));
            raw.sendRaw(new byte[] {(byte) 0x81, (byte) 0xFF, (byte) 0x80, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4});
            RawWebSocket.Frame f;
            try {
                // Tyrus (Payara) closes at once; Undertow (WildFly) stops reading the connection, which the hub's
                // keep-alive then closes (pings, unanswered, until hub.pong.timeout-seconds)
                do {
                    f = raw.readFrame();
                } while (f.opcode() == 0x1 || f.opcode() == 0x9);
            } catch (java.io.EOFException | java.net.SocketException closed) {
                f = null; // closed without a close frame
            }
            assertTrue(f == null || f.opcode() == 0x8, "the connection ends: " + (f == null ? "EOF" : "opcode " + f.opcode()));
            bystander.send("{\"type\":\"ping\",\"payload\":null,\"timestamp\":1703520000}");
            assertEquals("pong", bystander.nextOfType("pong", T).getString("type"), "other connections carry on");
        }
    }

    @Test
    void nodeStatusArrivesWithin6sAndAgainWithin11s() {
        try (WsClient c = connect()) {
            long start = System.nanoTime();
            JsonObject first = c.nextOfType("node.status", Duration.ofSeconds(6));
            JsonObject second = c.nextOfType("node.status", Duration.ofSeconds(11).minusNanos(System.nanoTime() - start));
            JsonObject p = second.getJsonObject("payload");
            assertTrue(p.getString("peer_id").startsWith("12D3KooW"));
            assertTrue(p.getString("dht_node_id").matches("0x[0-9a-f]{64}"));
            assertTrue(p.getJsonNumber("uptime_seconds").longValue() >= first.getJsonObject("payload").getJsonNumber("uptime_seconds").longValue());
            assertEquals(0, p.getInt("known_peers"), "the shared server has no other instance and no registered peer (PeersIT has a server of its own)");
            JsonObject stats = p.getJsonObject("stats");
            assertEquals(0, stats.getInt("quic_connections"));
            assertEquals(0, stats.getInt("relay_sessions"), "relay.mode is off");
            assertTrue(stats.getInt("websocket_connections") >= 1);
            assertEquals(p.getString("peer_id"), stats.getString("peer_id"));
        }
    }

    @Test
    void malformedFramesGetErrorFramesAndTheConnectionLives() {
        Map<String, String> cases = Map.of(
                "{not json", "INVALID_JSON",
                "[1,2,3]", "INVALID_MESSAGE",
                "\"ping\"", "INVALID_MESSAGE",
                "{\"payload\":{}}", "INVALID_MESSAGE",
                "{\"type\":42}", "INVALID_MESSAGE",
                "{\"type\":\"\"}", "INVALID_MESSAGE",
                "{\"type\":\"ping\",\"timestamp\":\"yesterday\"}", "INVALID_MESSAGE",
                "{\"type\":\"no.such.type\",\"payload\":{}}", "UNKNOWN_TYPE");
        try (WsClient c = connect()) {
            for (var e : cases.entrySet()) {
                c.send(e.getKey());
                JsonObject error = c.nextOfType("error", T);
                assertEquals(e.getValue(), error.getJsonObject("payload").getString("code"), e.getKey());
                assertFalse(error.getJsonObject("payload").getString("error").isBlank());
            }
            c.sendBinary(new byte[] {1, 2, 3});
            assertEquals("INVALID_MESSAGE", c.nextOfType("error", T).getJsonObject("payload").getString("code"));
            c.send("{\"type\":\"ping\"}");
            c.nextOfType("pong", T);
            assertFalse(c.isClosed());
        }
    }

    @Test
    void aMessageOfTenMegabytesIsAcceptedOneByteMoreCloses1009() {
        int max = 10 * 1024 * 1024;
        String prefix = "{\"type\":\"ping\",\"payload\":\"";
        String suffix = "\"}";
        try (WsClient c = connect()) {
            c.send(prefix + "a".repeat(max - prefix.length() - suffix.length()) + suffix);
            c.nextOfType("pong", Duration.ofSeconds(30));
            c.send(prefix + "a".repeat(max + 1 - prefix.length() - suffix.length()) + suffix);
            assertEquals(1009, c.awaitClose(Duration.ofSeconds(30)).code());
        }
    }

    @Test
    void aFloodPastTheRateLimitIsRefusedWithAnErrorAndTheConnectionLives() throws Exception {
        // The 2,000 answers of the burst are queued at once. Payara's writer (transport/tyrus/) drains them faster than
        // they come; the standard API has one write in flight per connection, and on WildFly and Liberty the burst
        // overflows the 1,024-frame outbound queue (1013) on this two-core machine: a throughput difference, reported
        // in the README, not a rate-limit one.
        AppServer.assumePayara("the standard API's write path does not drain a 2,000-frame burst through a 1,024-frame queue");
        // a bare socket writes far faster than the shared server's 2,000 messages/s; a reader keeps up with the answers
        try (RawWebSocket raw = RawWebSocket.open(server.port(), "/api/ws?token=" + token, Map.of(), 0)) {
            assertEquals(101, raw.handshake().status());
            RawWebSocket.FloodWatch flood = raw.watchFlood("\"pong\"", "RATE_LIMITED");
            long t0 = System.nanoTime();
            for (int i = 0; i < 30_000; i++) {
                raw.sendText("{\"type\":\"ping\"}");
            }
            System.out.println("it.flood sent=30000 ms=" + (System.nanoTime() - t0) / 1_000_000);
            String error = flood.limited.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(error.contains("retry after"), error);
            int answered = flood.answers.get();
            assertTrue(answered < 30_000, "some of the flood was refused, " + answered + " answered");
            // the connection lives: after the bucket refills, a ping is answered again
            AppServer.sleep(1500);
            int before = flood.answers.get();
            raw.sendText("{\"type\":\"ping\"}");
            assertTrue(flood.answeredAfter(before, 10_000), "a ping after the flood is answered");
        }
    }

    @Test
    void aClientThatNeverAnswersPingsIsClosedAfterThePongTimeout() throws Exception {
        // the shared server pings after 2 s of quiet and gives up after 5 s
        try (RawWebSocket raw = RawWebSocket.open(server.port(), "/api/ws?token=" + token, Map.of(), 0);
             WsClient polite = connect()) {
            assertEquals(101, raw.handshake().status());
            boolean pinged = false;
            RawWebSocket.Frame frame;
            do {
                frame = raw.readFrame();
                pinged |= frame.opcode() == 0x9;
            } while (frame.opcode() != 0x8);
            assertTrue(pinged, "the server pinged before giving up");
            assertEquals(1001, frame.closeCode());
            // a client that answers pings (java.net.http does) outlives the timeout
            assertFalse(polite.isClosed());
            polite.send("{\"type\":\"ping\"}");
            polite.nextOfType("pong", T);
        }
    }
}
