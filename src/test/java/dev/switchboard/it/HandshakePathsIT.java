package dev.switchboard.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deny by default at the handshake, with the default policies (tokens optional on vault, control and workspace):
 * an upgrade to anything but exactly a dialect's path is refused before the container can route it; the exact
 * paths work as the specs say. {@link RequiredAuthIT} repeats the variants with every {@code *.auth.required} on.
 */
class HandshakePathsIT {

    private static final Duration T = Duration.ofSeconds(10);
    private static AppServer server;
    private static String token;

    @BeforeAll
    static void setUp() {
        server = SharedServer.get();
        token = Api.adminToken(server);
    }

    @Test
    void noVariantOfAnyDialectPathIsUpgradedWithOrWithoutAToken() {
        int tried = PathVariants.assertNoVariantUpgrades(server, token);
        assertTrue(tried > 200, "variants tried: " + tried);
    }

    @Test
    void theIssuesBypassesAreRefusedWith404() {
        for (String path : new String[] {"/api/ws;x=1", "/api/w%73", "/%61pi/ws", "/rtc/ws;x=1", "/rtc/w%73", "/%72tc/ws",
                "/control/ws;x=1", "/workspace/w%73?username=eve"}) {
            RawWebSocket.Handshake h = PathVariants.attempt(server.port(), path, Map.of());
            assertEquals(404, h.status(), path + " -> " + h);
            assertEquals("{\"error\":\"Not a WebSocket endpoint\"}", h.body(), path);
        }
    }

    @Test
    void anAbsoluteFormRequestTargetGetsNoFurther() {
        String origin = "http://127.0.0.1:" + server.port();
        for (String variant : new String[] {"/api/w%73", "/%72tc/ws", "/control/ws;x=1"}) {
            RawWebSocket.Handshake h = PathVariants.attempt(server.port(), origin + variant, Map.of());
            assertTrue(h.status() == 404 || h.status() == 400, variant + " -> " + h);
        }
        assertEquals(401, PathVariants.attempt(server.port(), origin + "/api/ws", Map.of()).status(),
                "the exact path in absolute form is the exact path, and needs its token");
    }

    @Test
    void theExactPathsStillWorkAsTheSpecsSay() throws Exception {
        String q = "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
        for (String path : PathVariants.DIALECT_PATHS) {
            String target = path + q;
            try (RawWebSocket ws = RawWebSocket.open(server.port(), target, Map.of(), 0)) {
                assertEquals(101, ws.handshake().status(), target);
            }
        }
        assertEquals(401, PathVariants.attempt(server.port(), "/api/ws", Map.of()).status());
        assertEquals(401, PathVariants.attempt(server.port(), "/rtc/ws", Map.of()).status());
        for (String anonymous : new String[] {"/ws", "/control/ws", "/workspace/ws?username=exact-path-user"}) {
            try (RawWebSocket ws = RawWebSocket.open(server.port(), anonymous, Map.of(), 0)) {
                assertEquals(101, ws.handshake().status(), anonymous);
            }
        }
        try (WsClient c = WsClient.connect(server.ws("/api/ws"), Map.of("Authorization", "Bearer " + token))) {
            c.nextOfType("connected", T);
        }
        try (WsClient c = WsClient.connect(server.ws("/rtc/ws"), Map.of(), "access_token." + token)) {
            c.next(m -> "Status".equals(m.getString("type", null)), T);
        }
    }

    @Test
    void anyUpgradeHeaderOrAKeyAloneMakesAnUpgradeAttempt() throws IOException {
        String[][] headerSets = {
                {"upgrade: WebSocket", "connection: upgrade", "sec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==", "sec-websocket-version: 13"},
                {"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13"},
                {"Upgrade: h2c, websocket"},
                {"Upgrade: h2c", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="},
        };
        for (String[] headers : headerSets) {
            String answer = raw("/api/w%73", headers);
            assertTrue(answer.startsWith("HTTP/1.1 404"), String.join(",", headers) + " -> " + answer);
            assertTrue(answer.contains("Not a WebSocket endpoint"), answer);
        }
    }

    @Test
    void plainHttpIsUntouched() throws IOException {
        assertEquals(200, Api.get(server, "/ws/health").status());
        assertEquals(200, Api.get(server.readyUri()).status(), "MicroProfile Health (WildFly: on its management port)");
        String answer = raw("/api/ws;x=1");
        assertTrue(!answer.contains("Not a WebSocket endpoint"), "not an upgrade attempt: the guard stays out; " + answer);
        // what java.net.http and curl --http2 send on a cleartext request: Grizzly's business, not a WebSocket
        String h2c = raw("/ws/health", "Upgrade: h2c", "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA");
        assertTrue(h2c.startsWith("HTTP/1.1 101") || h2c.startsWith("HTTP/1.1 200"), h2c);
        assertTrue(!h2c.contains("Not a WebSocket endpoint"), h2c);
    }

    /**
     * A bare HTTP/1.1 GET with these headers: the answer up to the end of its body (by its length or its last chunk), or
     * up to the end of the connection. A request that names {@code connection: upgrade} carries two Connection headers,
     * and Undertow (WildFly) keeps the connection open after its answer, as the first one asks.
     */
    private static String raw(String target, String... headers) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
            s.setSoTimeout(10000);
            StringBuilder req = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            for (String h : headers) {
                req.append(h).append("\r\n");
            }
            req.append("Connection: close\r\n\r\n");
            s.getOutputStream().write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            for (int n; out.size() < 16384 && !complete(out.toString(StandardCharsets.ISO_8859_1)) && (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
            }
            return out.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static boolean complete(String answer) {
        int end = answer.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        String head = answer.substring(0, end).toLowerCase(Locale.ROOT);
        String body = answer.substring(end + 4);
        Matcher length = Pattern.compile("\r\ncontent-length: *(\\d+)").matcher(head);
        if (length.find()) {
            return body.length() >= Integer.parseInt(length.group(1));
        }
        if (head.contains("\r\ntransfer-encoding: chunked")) {
            return body.endsWith("0\r\n\r\n");
        }
        // any other answer (such as a 101 to h2c, followed by HTTP/2) ends with the connection
        return false;
    }
}
