package dev.switchboard.it;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bounded clients: the shared server trusts 127.0.0.1 as a proxy, so a test speaks for any client address through
 * {@code X-Forwarded-For}; those addresses get small caps ({@link SharedServer}): 3 connections per address on
 * node, control and vault, and 4 anonymous workspace handshakes per address before the rate limit. The tests'
 * own loopback connections (no header) are exempt per address, as by default.
 */
class ConnectionLimitsIT {

    private static final Duration T = Duration.ofSeconds(10);
    private static AppServer server;
    private static String token;

    @BeforeAll
    static void setUp() {
        server = SharedServer.get();
        token = URLEncoder.encode(Api.adminToken(server), StandardCharsets.UTF_8);
    }

    private static Map<String, String> from(String address) {
        return Map.of("X-Forwarded-For", address);
    }

    private static void closeAll(List<RawWebSocket> sockets) {
        for (RawWebSocket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // already gone
            }
        }
    }

    /** Opens until refused; @return the open ones and the refusal. */
    private static RawWebSocket.Handshake fill(String target, String address, int expectedOpen, List<RawWebSocket> open) throws IOException {
        for (int i = 0; i < expectedOpen; i++) {
            RawWebSocket ws = RawWebSocket.open(server.port(), target, from(address), 0);
            open.add(ws);
            assertEquals(101, ws.handshake().status(), "connection " + (i + 1) + " from " + address);
        }
        return PathVariants.attempt(server.port(), target, from(address));
    }

    /** Retries a handshake until it is upgraded: the server learns of a client's close a moment after it was sent. */
    private static RawWebSocket openWhenFree(String target, String address) throws IOException {
        long deadline = System.nanoTime() + T.toNanos();
        while (true) {
            RawWebSocket ws = RawWebSocket.open(server.port(), target, from(address), 0);
            if (ws.handshake().status() == 101 || System.nanoTime() > deadline) {
                return ws;
            }
            ws.close();
            AppServer.sleep(100);
        }
    }

    @Test
    void manyControlConnectionsFromOneAddressMeetTheCapWithAClearRefusal() throws IOException {
        List<RawWebSocket> open = new ArrayList<>();
        try {
            RawWebSocket.Handshake refused = fill("/control/ws", "203.0.113.10", 3, open);
            assertEquals(429, refused.status(), refused.toString());
            assertEquals("{\"error\":\"Too many connections to /control/ws from your address: at most 3\"}", refused.body());
            try (RawWebSocket other = RawWebSocket.open(server.port(), "/control/ws", from("203.0.113.11"), 0);
                 RawWebSocket local = RawWebSocket.open(server.port(), "/control/ws", Map.of(), 0)) {
                assertEquals(101, other.handshake().status(), "another address has its own allowance");
                assertEquals(101, local.handshake().status(), "loopback is exempt per address by default");
            }
            open.remove(0).close();
            try (RawWebSocket again = openWhenFree("/control/ws", "203.0.113.10")) {
                assertEquals(101, again.handshake().status(), "a closed connection gives its slot back");
            }
        } finally {
            closeAll(open);
        }
    }

    @Test
    void theCapCountsAuthenticatedNodeConnectionsToo() throws IOException {
        List<RawWebSocket> open = new ArrayList<>();
        try {
            RawWebSocket.Handshake refused = fill("/api/ws?token=" + token, "2001:db8:77:1::1", 3, open);
            assertEquals(429, refused.status(), refused.toString());
            RawWebSocket.Handshake sameSlash64 = PathVariants.attempt(server.port(), "/api/ws?token=" + token, from("2001:db8:77:1::2"));
            assertEquals(429, sameSlash64.status(), "an IPv6 client is counted by its /64");
        } finally {
            closeAll(open);
        }
    }

    @Test
    void vaultRefusesInItsOwnWordsConnectionRefusedThen1013() throws IOException {
        List<RawWebSocket> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                RawWebSocket ws = RawWebSocket.open(server.port(), "/ws", from("203.0.113.30"), 0);
                open.add(ws);
                assertEquals(101, ws.handshake().status());
            }
            try (WsClient refused = WsClient.connect(server.ws("/ws"), from("203.0.113.30"))) {
                JsonObject error = refused.nextOfType("error", T).getJsonObject("data");
                assertEquals("CONNECTION_REFUSED", error.getString("code"));
                assertTrue(error.getString("message").contains("from your address"), error.toString());
                assertEquals(1013, refused.awaitClose(T).code());
            }
        } finally {
            closeAll(open);
        }
    }

    @Test
    void anonymousWorkspaceNamesAreRateLimitedPerAddress() throws IOException {
        for (int i = 0; i < 4; i++) {
            try (RawWebSocket ws = RawWebSocket.open(server.port(), "/workspace/ws?username=rate" + i, from("203.0.113.40"), 0)) {
                assertEquals(101, ws.handshake().status(), "handshake " + (i + 1));
            }
        }
        RawWebSocket.Handshake refused = PathVariants.attempt(server.port(), "/workspace/ws?username=rate9", from("203.0.113.40"));
        assertEquals(429, refused.status(), refused.toString());
        assertTrue(Long.parseLong(refused.headers().get("retry-after")) >= 1, refused.headers().toString());
        assertEquals("{\"error\":\"Too many connections without a token from your address; retry later\"}", refused.body());
        try (RawWebSocket withToken = RawWebSocket.open(server.port(), "/workspace/ws?token=" + token, from("203.0.113.40"), 0)) {
            assertEquals(101, withToken.handshake().status(), "a token holder is not an anonymous name");
        }
    }
}
