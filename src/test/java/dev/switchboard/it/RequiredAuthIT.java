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
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server configured to require tokens on the dialects whose specs make them optional (vault, control), and what
 * this instance tells control clients when it shuts down.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RequiredAuthIT {

    private static final Duration T = Duration.ofSeconds(10);
    private static PayaraServer server;
    private static String admin;

    @BeforeAll
    static void start() {
        server = new PayaraServer("required-auth", Map.of(
                "VAULT_AUTH_REQUIRED", "true",
                "VAULT_AUTH_TIMEOUT_SECONDS", "2",
                "CONTROL_AUTH_REQUIRED", "true",
                "AGENT_HEARTBEAT_INTERVAL_SECONDS", "1",
                "SWITCHBOARD_ADMIN_PASSWORD", "required-auth-admin"));
        server.start();
        admin = Api.login(server, "admin", "required-auth-admin").json().getString("token");
    }

    @AfterAll
    static void stop() {
        server.close();
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
            PayaraServer.sleep(3000);
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
