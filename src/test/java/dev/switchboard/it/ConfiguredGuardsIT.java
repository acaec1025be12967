package dev.switchboard.it;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The guards of issue 12 under settings the shared server does not have, on one extra server: Tyrus left to unmask
 * ({@code switchboard.tyrus.fast-unmask=false}: the frame checks still run) and a different set of vault topics open
 * to unauthenticated clients ({@code vault.anonymous-topics}).
 */
class ConfiguredGuardsIT {

    private static final Duration T = Duration.ofSeconds(20);
    private static AppServer server;
    private static String token;

    @BeforeAll
    static void setUp() {
        server = AppServer.create("guards", Map.of("SWITCHBOARD_TYRUS_FAST_UNMASK", "false",
                "VAULT_ANONYMOUS_TOPICS", "system, alerts"));
        server.start();
        token = Api.adminToken(server);
    }

    @AfterAll
    static void tearDown() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void withoutFastUnmaskingAnUnmaskedFrameStillCloses1002OnEveryDialect() throws Exception {
        AppServer.assumePayara("switchboard.tyrus.fast-unmask is Payara's (transport/tyrus/)");
        FrameGuard.assertUnmaskedFramesClose1002(server, token);
        assertTrue(server.log().contains("tyrus.frame-guard active fast-unmask=false"), "the checking stream was in place");
    }

    @Test
    void withoutFastUnmaskingATenMegabyteHeaderOnControlCloses1009AndMaskedFramesPassUnchanged() throws Exception {
        try (RawWebSocket raw = RawWebSocket.open(server.port(), "/control/ws", Map.of(), 0)) {
            assertEquals(1009, FrameGuard.closeCodeAfter(raw, FrameGuard.header(0x81, 10L * 1024 * 1024)));
        }
        try (WsClient c = WsClient.connect(server.ws("/api/ws?token=" + token))) {
            c.nextOfType("connected", T);
            c.send("{\"type\":\"ping\",\"payload\":null,\"timestamp\":1703520000}");
            assertEquals("pong", c.nextOfType("pong", T).getString("type"), "Tyrus unmasked it itself");
        }
    }

    @Test
    void theTopicsOpenToUnauthenticatedVaultClientsAreConfiguration() {
        try (WsClient c = WsClient.connect(server.ws("/ws"))) {
            c.nextOfType("connected", T);
            for (String topic : new String[] {"alerts", "system"}) {
                c.send("{\"type\":\"subscribe\",\"topic\":\"" + topic + "\"}");
                JsonObject r = c.next(m -> m.getString("type").equals("subscribed") || m.getString("type").equals("error"), T);
                assertEquals("subscribed", r.getString("type"), r.toString());
            }
            c.send("{\"type\":\"subscribe\",\"topic\":\"file_operations\"}");
            assertEquals("AUTH_REQUIRED", c.nextOfType("error", T).getJsonObject("data").getString("code"));
        }
    }
}
