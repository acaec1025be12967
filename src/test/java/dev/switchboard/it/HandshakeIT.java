package dev.switchboard.it;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every way to present a token at /api/ws, every way to forge one, and the Origin allow-list. */
class HandshakeIT {

    private static final Duration T = Duration.ofSeconds(10);
    private static AppServer server;
    private static String token;
    private static Tokens forge;

    @BeforeAll
    static void setUp() throws Exception {
        server = SharedServer.get();
        token = Api.adminToken(server);
        forge = new Tokens(server);
    }

    private static void assertConnected(WsClient client) {
        JsonObject connected = client.nextOfType("connected", T);
        assertEquals("Connected to WebSocket server", connected.getJsonObject("payload").getString("message"));
    }

    /**
     * A client that sends a frame in the same write as its handshake, before the 101 (RFC 6455 4.1 forbids it): on
     * Payara Micro each such connection used to hold an HTTP worker for good (Tyrus's init waiting for itself), and
     * more of them than the pool's 32 workers stopped the server. Now refused with 400; on every server the next
     * HTTP request and a well-behaved client are served after 40 of them.
     */
    @Test
    void dataBeforeTheHandshakeAnswerIsRefusedAndHoldsNoWorker() throws Exception {
        byte[] frame = RawWebSocket.frame(1, "{\"type\":\"presence:update\",\"status\":\"away\"}".getBytes(StandardCharsets.UTF_8));
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) {
                Socket s = new Socket("127.0.0.1", server.port());
                s.setSoTimeout(10_000);
                sockets.add(s);
                String request = "GET /workspace/ws?username=early" + i + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
                        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                        + "Sec-WebSocket-Version: 13\r\n\r\n";
                ByteArrayOutputStream both = new ByteArrayOutputStream();
                both.write(request.getBytes(StandardCharsets.US_ASCII));
                both.write(frame);
                s.getOutputStream().write(both.toByteArray());
                s.getOutputStream().flush();
            }
            if (AppServer.kind().equals("payara")) {
                for (Socket s : sockets) {
                    String status = new BufferedReader(new InputStreamReader(s.getInputStream(),
                            StandardCharsets.US_ASCII)).readLine();
                    assertEquals("HTTP/1.1 400 Bad Request", status);
                }
            }
            assertEquals(200, Api.call(server, "GET", "/api/services", token, null).status(),
                    "the server answers HTTP after 40 early-data handshakes");
            try (WsClient c = WsClient.connect(server.ws("/api/ws?token=" + token))) {
                assertConnected(c);
            }
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    @Test
    void tokenInQuery() {
        try (WsClient c = WsClient.connect(server.ws("/api/ws?token=" + token))) {
            assertConnected(c);
        }
    }

    @Test
    void tokenInAuthorizationHeader() {
        try (WsClient c = WsClient.connect(server.ws("/api/ws"), Map.of("Authorization", "Bearer " + token))) {
            assertConnected(c);
        }
    }

    @Test
    void tokenAsSubprotocolIsEchoed() {
        try (WsClient c = WsClient.connect(server.ws("/api/ws"), Map.of(), "access_token." + token)) {
            assertConnected(c);
            assertEquals("access_token." + token, c.subprotocol());
        }
    }

    @Test
    void anIdentityProvidersEs256TokenIsAccepted() throws Exception {
        String idpToken = Tokens.idp(SharedServer.idpKey(), c -> c);
        try (WsClient c = WsClient.connect(server.ws("/api/ws"), Map.of("Authorization", "Bearer " + idpToken))) {
            assertConnected(c);
        }
    }

    @Test
    void missingTokenIs401WithTheSpecBody() throws Exception {
        RawWebSocket.Handshake h = RawWebSocket.handshake(server.port(), "/api/ws", Map.of());
        assertEquals(401, h.status());
        assertEquals("{\"error\":\"Missing authentication token\"}", h.body());
    }

    @Test
    void everyForgedTokenIs401AndNoSession() throws Exception {
        Instant now = Instant.now();
        Map<String, String> attacks = new LinkedHashMap<>();
        attacks.put("alg none", forge.none());
        attacks.put("HS256 with the public key as secret", forge.hs256WithPublicKey());
        attacks.put("expired", forge.rs256(c -> c.expirationTime(Date.from(now.minusSeconds(3600)))));
        attacks.put("not yet valid", forge.rs256(c -> c.notBeforeTime(Date.from(now.plusSeconds(3600)))));
        attacks.put("wrong issuer", forge.rs256(c -> c.issuer("https://evil.example")));
        attacks.put("no expiry", forge.rs256(c -> c.expirationTime(null)));
        attacks.put("wrong audience", forge.rs256(c -> c.audience("someone-else")));
        attacks.put("no audience", forge.rs256(c -> c.audience((String) null)));
        java.security.KeyPairGenerator ec = java.security.KeyPairGenerator.getInstance("EC");
        ec.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        attacks.put("identity provider's issuer, another key", Tokens.idp(ec.generateKeyPair(), c -> c));
        attacks.put("identity provider's token, wrong audience", Tokens.idp(SharedServer.idpKey(), c -> c.audience("other")));
        attacks.put("identity provider's token, expired", Tokens.idp(SharedServer.idpKey(),
                c -> c.expirationTime(Date.from(now.minusSeconds(600)))));
        attacks.put("this server's key with the identity provider's issuer", forge.rs256(c -> c.issuer(SharedServer.IDP_ISSUER)));
        attacks.put("identity provider's key with this server's issuer", Tokens.idp(SharedServer.idpKey(), c -> c.issuer("switchboard")));
        attacks.put("tampered payload", forge.tampered(token));
        attacks.put("garbage", "not.a.jwt");
        attacks.put("random bytes", "eyJhbGciOiJSUzI1NiJ9.%%%.@@@");
        for (var attack : attacks.entrySet()) {
            String q = URLEncoder.encode(attack.getValue(), StandardCharsets.UTF_8);
            RawWebSocket.Handshake h = RawWebSocket.handshake(server.port(), "/api/ws?token=" + q, Map.of());
            assertEquals(401, h.status(), attack.getKey());
            assertEquals("{\"error\":\"Invalid authentication token\"}", h.body(), attack.getKey());
            // the same token in the other two places
            RawWebSocket.Handshake bearer = RawWebSocket.handshake(server.port(), "/api/ws",
                    Map.of("Authorization", "Bearer " + attack.getValue()));
            assertEquals(401, bearer.status(), attack.getKey() + " (Bearer)");
            if (!attack.getValue().matches("[A-Za-z0-9._-]+")) {
                continue; // not a valid subprotocol token: a client cannot even send it
            }
            WebSocketHandshakeException refused = assertThrows(WebSocketHandshakeException.class,
                    () -> WsClient.connectOrFail(server.ws("/api/ws"), Map.of(), "access_token." + attack.getValue()),
                    attack.getKey() + " (subprotocol)");
            assertEquals(401, refused.getResponse().statusCode(), attack.getKey() + " (subprotocol)");
        }
        // a forged token signed by the real key with the right claims is accepted: the refusals above are about the claims
        try (WsClient c = WsClient.connect(server.ws("/api/ws?token=" + forge.rs256(b -> b)))) {
            assertConnected(c);
        }
    }

    @Test
    void refusedHandshakesLeaveNoSession() throws Exception {
        try (WsClient observer = WsClient.connect(server.ws("/api/ws?token=" + token))) {
            int before = connections(observer);
            List<RawWebSocket> refused = new ArrayList<>();
            try {
                for (int i = 0; i < 20; i++) {
                    RawWebSocket ws = RawWebSocket.open(server.port(), "/api/ws?token=bad" + i, Map.of(), 0);
                    refused.add(ws);
                    assertEquals(401, ws.handshake().status());
                }
                // the refused sockets are still open while the next sample is taken
                int after = connections(observer);
                assertEquals(true, after <= before, "before " + before + " after " + after);
            } finally {
                for (RawWebSocket ws : refused) {
                    ws.close();
                }
            }
        }
    }

    private static int connections(WsClient observer) {
        return observer.nextOfType("node.status", Duration.ofSeconds(7))
                .getJsonObject("payload").getJsonObject("stats").getInt("websocket_connections");
    }

    @Test
    void foreignOriginIs403() throws Exception {
        RawWebSocket.Handshake h = RawWebSocket.handshake(server.port(), "/api/ws?token=" + token,
                Map.of("Origin", "https://evil.example"));
        assertEquals(403, h.status());
        assertEquals("{\"error\":\"Origin not allowed\"}", h.body());
    }

    @Test
    void localhostAndSameHostOriginsAreAllowed() throws Exception {
        for (String origin : new String[] {"http://localhost:3000", "http://127.0.0.1:" + server.port()}) {
            try (RawWebSocket ws = RawWebSocket.open(server.port(), "/api/ws?token=" + token, Map.of("Origin", origin), 0)) {
                assertEquals(101, ws.handshake().status(), origin);
            }
        }
    }

    @Test
    void aWebSocketUriWithoutTheDialectPathIsNotAnEndpoint() {
        URI nowhere = server.ws("/api/ws-nope?token=" + token);
        assertThrows(WebSocketHandshakeException.class, () -> WsClient.connectOrFail(nowhere, Map.of()));
    }
}
