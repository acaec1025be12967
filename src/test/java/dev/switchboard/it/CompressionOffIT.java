package dev.switchboard.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code websocket.compression.enabled=false}: an offer of permessage-deflate is answered without the extension, and
 * a compressed frame is then a protocol error (1002), on Payara (the application's extension) and WildFly (Undertow's,
 * switched on in its configuration but not negotiated when the application accepts none). Liberty has nothing to
 * switch off (CompressionIT).
 */
class CompressionOffIT {

    private static AppServer server;

    @BeforeAll
    static void start() {
        server = AppServer.create("compression-off", Map.of("WEBSOCKET_COMPRESSION_ENABLED", "false"));
        server.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anOfferGetsNoExtensionAndRsv1IsAProtocolError() throws IOException {
        try (RawWebSocket raw = RawWebSocket.open(server.port(), "/workspace/ws?username=off" + System.nanoTime() % 100_000,
                Map.of("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits"), 0)) {
            assertEquals(101, raw.handshake().status());
            assertNull(raw.handshake().headers().get("sec-websocket-extensions"), raw.handshake().toString());
            raw.soTimeout(15_000);
            assertTrue(raw.readFrame().text().contains("\"connected\""));
            byte[] payload = CompressionIT.deflate("{\"type\":\"message:send\",\"text\":\"x\"}".getBytes(StandardCharsets.UTF_8));
            assertEquals(1002, FrameGuard.closeCodeAfter(raw, FrameGuard.masked(0xC1, payload)));
        }
    }
}
