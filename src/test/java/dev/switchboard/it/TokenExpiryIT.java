package dev.switchboard.it;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A connection authenticated by a token ends at the token's {@code exp} with 4001 "Token expired", on every
 * dialect (rtc's own warning first is in {@link RtcProtocolIT}). The tokens here live 3 seconds.
 */
class TokenExpiryIT {

    private static final Duration T = Duration.ofSeconds(10);
    private static final Duration UNTIL_CLOSED = Duration.ofSeconds(20);
    private static AppServer server;
    private static Tokens forge;

    @BeforeAll
    static void setUp() throws Exception {
        server = SharedServer.get();
        forge = new Tokens(server);
    }

    private static String shortLived(String user) throws Exception {
        return forge.rs256(c -> c.subject(user).claim("upn", user).expirationTime(Date.from(Instant.now().plusSeconds(3))));
    }

    private static void assertTokenExpired(WsClient c) {
        WsClient.Closed closed = c.awaitClose(UNTIL_CLOSED);
        assertEquals(4001, closed.code(), closed.toString());
        assertEquals("Token expired", closed.reason());
    }

    @Test
    void node() throws Exception {
        try (WsClient c = WsClient.connect(server.ws("/api/ws?token=" + shortLived("expiry-node")))) {
            c.nextOfType("connected", T);
            assertTokenExpired(c);
        }
    }

    @Test
    void vaultWithTheHandshakeToken() throws Exception {
        try (WsClient c = WsClient.connect(server.ws("/ws"), Map.of("Authorization", "Bearer " + shortLived("expiry-vault")))) {
            JsonObject connected = c.nextOfType("connected", T).getJsonObject("data");
            assertTrue(connected.getBoolean("authenticated"));
            assertTokenExpired(c);
        }
    }

    @Test
    void vaultWithTheAuthMessagesToken() throws Exception {
        try (WsClient c = WsClient.connect(server.ws("/ws"))) {
            c.nextOfType("connected", T);
            c.send("{\"type\":\"auth\",\"token\":\"" + shortLived("expiry-vault-auth") + "\"}");
            c.nextOfType("authenticated", T);
            assertTokenExpired(c);
        }
    }

    @Test
    void anAnonymousVaultClientIsNotClosed() {
        try (WsClient c = WsClient.connect(server.ws("/ws"))) {
            c.nextOfType("connected", T);
            c.send("{\"type\":\"ping\"}");
            c.nextOfType("pong", T);
            // outlives the 3 s the tokens above get, answering the keep-alive like any client
            AppServer.sleep(5000);
            c.send("{\"type\":\"ping\"}");
            c.nextOfType("pong", T);
        }
    }

    @Test
    void workspace() throws Exception {
        try (WsClient c = WsClient.connect(server.ws("/workspace/ws?token=" + shortLived("expiry-workspace")))) {
            assertEquals("expiry-workspace", c.nextOfType("connected", T).getString("username"));
            assertTokenExpired(c);
        }
    }

    @Test
    void control() throws Exception {
        try (WsClient c = WsClient.connect(server.ws("/control/ws?token=" + shortLived("expiry-control")))) {
            assertTokenExpired(c);
        }
    }
}
