package dev.switchboard.it;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;

import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server configured to require tokens on the dialects whose specs make them optional (vault, control, workspace),
 * with loopback counted per address like any client and small connection caps, and what this instance tells control
 * clients when it shuts down.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RequiredAuthIT {

    private static final Duration T = Duration.ofSeconds(10);
    private static AppServer server;
    private static String admin;

    @BeforeAll
    static void start() {
        server = AppServer.create("required-auth", Map.of(
                "VAULT_AUTH_REQUIRED", "true",
                "VAULT_AUTH_TIMEOUT_SECONDS", "2",
                "CONTROL_AUTH_REQUIRED", "true",
                "AGENT_HEARTBEAT_INTERVAL_SECONDS", "1",
                "SWITCHBOARD_ADMIN_PASSWORD", "required-auth-admin"));
        server.env("WORKSPACE_AUTH_REQUIRED", "true").env("CONTROL_MAX_CONNECTIONS", "4")
                .env("SWITCHBOARD_LIMITS_EXEMPT_LOOPBACK", "false").env("NODE_MAX_CONNECTIONS_PER_ADDRESS", "2");
        server.start();
        admin = Api.login(server, "admin", "required-auth-admin").json().getString("token");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** First, while no other control connection holds a slot. */
    @Test
    @Order(1)
    void pastTheTotalCapAHandshakeIsRefusedWith503() throws Exception {
        List<RawWebSocket> open = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                RawWebSocket ws = RawWebSocket.open(server.port(), "/control/ws?token=" + admin, Map.of(), 0);
                open.add(ws);
                assertEquals(101, ws.handshake().status(), "connection " + (i + 1));
            }
            RawWebSocket.Handshake refused = PathVariants.attempt(server.port(), "/control/ws?token=" + admin, Map.of());
            assertEquals(503, refused.status(), refused.toString());
            assertEquals("{\"error\":\"Server is not accepting connections to /control/ws: the limit of 4 is reached; try again later\"}",
                    refused.body());
        } finally {
            for (RawWebSocket ws : open) {
                ws.close();
            }
        }
    }

    /** 127.0.0.1 is no trusted proxy here: whatever X-Forwarded-For says, all these come from one (counted) address. */
    @Test
    @Order(2)
    void forwardedForFromAnUntrustedPeerIsIgnored() throws Exception {
        List<RawWebSocket> open = new ArrayList<>();
        try {
            for (String claimed : new String[] {"203.0.113.1", "203.0.113.2"}) {
                RawWebSocket ws = RawWebSocket.open(server.port(), "/api/ws?token=" + admin, Map.of("X-Forwarded-For", claimed), 0);
                open.add(ws);
                assertEquals(101, ws.handshake().status(), claimed);
            }
            RawWebSocket.Handshake refused = PathVariants.attempt(server.port(), "/api/ws?token=" + admin,
                    Map.of("X-Forwarded-For", "203.0.113.3"));
            assertEquals(429, refused.status(), refused.toString());
        } finally {
            for (RawWebSocket ws : open) {
                ws.close();
            }
        }
    }

    @Test
    void noVariantOfAnyDialectPathIsUpgradedWithAuthRequired() {
        PathVariants.assertNoVariantUpgrades(server, admin);
    }

    @Test
    void theExactPathsDemandATokenWhereConfigured() throws Exception {
        for (String path : new String[] {"/control/ws", "/workspace/ws?username=someone", "/api/ws", "/rtc/ws"}) {
            RawWebSocket.Handshake h = PathVariants.attempt(server.port(), path, Map.of());
            assertEquals(401, h.status(), path);
            assertEquals("{\"error\":\"Missing authentication token\"}", h.body(), path);
        }
        try (WsClient c = WsClient.connect(server.ws("/workspace/ws?token=" + admin))) {
            assertEquals("admin", c.nextOfType("connected", T).getString("username"));
        }
        try (RawWebSocket vault = RawWebSocket.open(server.port(), "/ws", Map.of(), 0)) {
            assertEquals(101, vault.handshake().status(), "vault authenticates in-band");
        }
    }

    @Test
    void anUnauthenticatedVaultClientGetsNothingButAuthFailedAndIsClosedAfterTheTimeout() {
        try (WsClient c = WsClient.connect(server.ws("/ws"))) {
            assertFalse(c.nextOfType("connected", T).getJsonObject("data").getBoolean("authenticated"));
            c.send("{\"type\":\"subscribe\",\"topic\":\"system\"}");
            JsonObject e = c.nextOfType("error", T).getJsonObject("data");
            assertEquals("AUTH_FAILED", e.getString("code"));
            JsonObject timeout = c.nextOfType("error", T).getJsonObject("data");
            assertEquals("AUTH_FAILED", timeout.getString("code"));
            assertTrue(timeout.getString("message").contains("within"), timeout.toString());
            assertEquals(1008, c.awaitClose(T).code());
        }
    }

    @Test
    void anAuthMessageInTimeUnlocksSubscriptions() {
        try (WsClient c = WsClient.connect(server.ws("/ws"))) {
            c.nextOfType("connected", T);
            c.send("{\"type\":\"auth\",\"token\":\"" + admin + "\"}");
            c.nextOfType("authenticated", T);
            c.send("{\"type\":\"subscribe\",\"topic\":\"system\"}");
            assertEquals("system", c.nextOfType("subscribed", T).getString("topic"));
            AppServer.sleep(3000);
            assertFalse(c.isClosed(), "an authenticated client outlives the authentication timeout");
        }
    }

    @Test
    void controlRefusesAHandshakeWithoutTokenWhenConfiguredTo() {
        WebSocketHandshakeException refused = assertThrows(WebSocketHandshakeException.class,
                () -> WsClient.connectOrFail(server.ws("/control/ws"), Map.of()));
        assertEquals(401, refused.getResponse().statusCode());
        try (WsClient c = WsClient.connect(server.ws("/control/ws?token=" + admin))) {
            c.next(m -> "agent:heartbeat".equals(m.getString("event", null)), T);
        }
    }

    /** Last, since it stops the server: a clean shutdown says goodbye on control before the sockets go. */
    @Test
    @Order(Integer.MAX_VALUE)
    void aCleanShutdownSendsAgentOffline() {
        // WildFly and Liberty close the WebSocket sessions when they take the web application down, before its beans
        // are destroyed (Undertow in its own ServletContextListener), so LocalMember's goodbye comes too late there
        AppServer.assumePayara("WildFly and Liberty close the sockets (1001 / 1006) before the application's @PreDestroy");
        try (WsClient node = WsClient.connect(server.ws("/api/ws?token=" + admin));
             WsClient c = WsClient.connect(server.ws("/control/ws?token=" + admin))) {
            String peerId = node.nextOfType("connected", T).getJsonObject("payload").getString("peer_id");
            c.next(m -> "agent:heartbeat".equals(m.getString("event", null)), T);
            server.stop();
            JsonObject offline = c.next(m -> "agent:offline".equals(m.getString("event", null)), T).getJsonObject("data");
            assertEquals(peerId, offline.getString("agentId"));
            assertEquals("shutdown", offline.getString("reason"));
        }
    }
}
