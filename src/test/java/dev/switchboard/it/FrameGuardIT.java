package dev.switchboard.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * RFC 6455 framing rules and each endpoint's own message limit, enforced at the frame header before Tyrus buffers
 * the frame (issue 12, items 5 and 6), on every dialect of the shared server. The 1009s at the header are Payara's
 * fast path and run there only; the rest runs on WildFly and Liberty too.
 */
class FrameGuardIT {

    /**
     * The 1009 at the frame header is {@code transport/tyrus/TyrusInput}'s (Payara). Undertow (WildFly) closes a frame
     * announcing more than the endpoint's limit with 1007 at its header; a fragmented message on control, which reads
     * its messages in parts, is not closed there (each part is within the limit, nothing is buffered). The unmasked
     * frame's 1002 and the message within the limit hold on every server.
     */
    private static final String FRAME_HEADER_CHECKS = "the 1009 at the frame header is Payara's (transport/tyrus/)";
    private static AppServer server;
    private static String token;

    @BeforeAll
    static void setUp() {
        server = SharedServer.get();
        token = Api.adminToken(server);
    }

    /** RFC 6455 §5.1: a server MUST close the connection upon receiving an unmasked client frame (1002). */
    @Test
    void anUnmaskedFrameCloses1002OnEveryDialect() throws Exception {
        FrameGuard.assertUnmaskedFramesClose1002(server, token);
    }

    /** The case: a 10 MB header on the unauthenticated control path, and no payload ever. */
    @Test
    void aTenMegabyteFrameHeaderOnControlCloses1009BeforeThePayload() throws Exception {
        AppServer.assumePayara(FRAME_HEADER_CHECKS);
        try (RawWebSocket raw = RawWebSocket.open(server.port(), "/control/ws", Map.of(), 0)) {
            assertEquals(101, raw.handshake().status());
            assertEquals(1009, FrameGuard.closeCodeAfter(raw, FrameGuard.header(0x81, 10L * 1024 * 1024)));
        }
    }

    /** One byte over each endpoint's own limit, announced by a header alone, closes at once (binary too). */
    @Test
    void aHeaderOneByteOverEachEndpointsLimitCloses1009() throws Exception {
        AppServer.assumePayara(FRAME_HEADER_CHECKS);
        Map<String, Long> limits = Map.of("node", 10_485_760L, "vault", 1_048_576L, "rtc", 65_536L,
                "control", 65_536L, "workspace", 65_536L);
        for (Map.Entry<String, String> path : FrameGuard.paths(token).entrySet()) {
            for (int first : new int[] {0x81, 0x82}) {
                try (RawWebSocket raw = RawWebSocket.open(server.port(), path.getValue(), Map.of(), 0)) {
                    long over = limits.get(path.getKey()) + 1;
                    assertEquals(1009, FrameGuard.closeCodeAfter(raw, FrameGuard.header(first, over)),
                            path.getKey() + " opcode " + (first & 0xF));
                }
            }
        }
    }

    /** Control reads messages in parts (Tyrus never buffers them whole): the fragments still count together. */
    @Test
    void aFragmentedMessageOverTheLimitOnControlCloses1009() throws Exception {
        AppServer.assumePayara(FRAME_HEADER_CHECKS);
        try (RawWebSocket raw = RawWebSocket.open(server.port(), "/control/ws", Map.of(), 0)) {
            byte[] part = "x".repeat(40_000).getBytes(StandardCharsets.US_ASCII);
            raw.sendRaw(FrameGuard.masked(0x01, part)); // text, not final: 40,000 bytes
            assertEquals(1009, FrameGuard.closeCodeAfter(raw, FrameGuard.masked(0x00, part)), "80,000 > 65,536");
        }
    }

    /** Masked frames within the limit are untouched: a 60 KB text on control is read and ignored, as before. */
    @Test
    void aMessageWithinTheLimitIsStillIgnoredOnControl() {
        try (WsClient c = WsClient.connect(server.ws("/control/ws"))) {
            c.send("x".repeat(60_000));
            c.next(m -> "agent:heartbeat".equals(m.getString("event", null)), Duration.ofSeconds(20));
            assertFalse(c.isClosed());
        }
    }
}
