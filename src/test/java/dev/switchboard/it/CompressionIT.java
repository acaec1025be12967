package dev.switchboard.it;

import dev.switchboard.transport.ClientInflate;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * permessage-deflate (RFC 7692) on the wire, with raw clients on the workspace dialect (a broadcast of the sender's
 * {@code message:send} to everyone, the sender included): the answer to an offer, a large broadcast as one RSV1 frame
 * that inflates to exactly the text an uncompressed client gets, a small one uncompressed, a compressed client message
 * answered, a zip bomb closed 1009, a corrupt stream 1007, RSV1 without the extension 1002, and no offer: no change.
 *
 * <p>Payara: the application's own extension ({@code transport/tyrus/TyrusDeflate}), {@code server_no_context_takeover}
 * and {@code client_no_context_takeover} always, messages under {@code websocket.compression.min-bytes} uncompressed. WildFly: Undertow's own extension
 * (switched on in configure.cli): it compresses every message, the small ones too, so that check is Payara's.
 * Open Liberty negotiates no extension at all: the tests that need one are skipped there.</p>
 */
class CompressionIT {

    private static final String OFFER = "permessage-deflate; client_max_window_bits";
    private static final int LIMIT = 65_536;
    private static AppServer server;

    @BeforeAll
    static void start() {
        server = AppServer.create("compression", Map.of("WORKSPACE_MAX_MESSAGE_BYTES", String.valueOf(LIMIT)));
        server.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static boolean negotiates() {
        return !AppServer.kind().equals("liberty");
    }

    private static void assumeNegotiates() {
        Assumptions.assumeTrue(negotiates(), "Open Liberty's WebSocket container negotiates no extension (README Servers)");
    }

    private static RawWebSocket join(String name, boolean offer) throws IOException {
        RawWebSocket raw = RawWebSocket.open(server.port(), "/workspace/ws?username=" + name,
                offer ? Map.of("Sec-WebSocket-Extensions", OFFER) : Map.of(), 0);
        assertEquals(101, raw.handshake().status(), raw.handshake().toString());
        raw.soTimeout(15_000);
        String hello = text(raw, raw.readBits());
        assertTrue(hello.contains("\"connected\""), hello);
        return raw;
    }

    private static String name(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A connection's inflater, for a server that takes over context between its messages (Undertow's answer). */
    private static final Map<RawWebSocket, Inflater> CONTEXTS = new java.util.IdentityHashMap<>();

    /**
     * The message's text: inflated (the 00 00 FF FF tail put back) when it came compressed; each message on its own
     * when the server answered server_no_context_takeover (which this proves: a fresh inflater per message), else
     * with the connection's inflater.
     */
    private static String text(RawWebSocket raw, RawWebSocket.Bits f) throws IOException {
        if (!f.rsv1()) {
            return new String(f.payload(), StandardCharsets.UTF_8);
        }
        String answer = raw.handshake().headers().getOrDefault("sec-websocket-extensions", "");
        if (answer.contains("server_no_context_takeover")) {
            return new String(ClientInflate.message(f.payload()), StandardCharsets.UTF_8);
        }
        return new String(ClientInflate.message(CONTEXTS.computeIfAbsent(raw, r -> new Inflater(true)), f.payload()), StandardCharsets.UTF_8);
    }

    /** A received message: its frame's first byte and payload, and its text (inflated once, when compressed). */
    private record Msg(int first, byte[] payload, String text) {
        String field(String name) {
            return json(text).getJsonObject("data").getString(name);
        }
    }

    /** The next {@code message:new}, answering pings and skipping presence; every frame is inflated exactly once. */
    private static Msg nextMessage(RawWebSocket raw) throws IOException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            RawWebSocket.Bits f = raw.readBits();
            if (f.opcode() == 0x9) {
                raw.sendFrame(0xA, f.payload());
            } else if (f.opcode() == 0x8) {
                throw new AssertionError("closed: " + new RawWebSocket.Frame(8, f.payload()).closeCode());
            } else {
                String text = text(raw, f);
                if (text.contains("\"message:new\"")) {
                    return new Msg(f.first(), f.payload(), text);
                }
            }
        }
        throw new AssertionError("no message:new within 20 s");
    }



    /** A client's compressed payload: raw deflate, sync-flushed, the tail left off. */
    static byte[] deflate(byte[] data) {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            d.setInput(data);
            byte[] out = new byte[data.length + 1024];
            int n = d.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
            assertTrue(n < out.length && n >= 4);
            return Arrays.copyOf(out, n - 4);
        } finally {
            d.end();
        }
    }

    private static String send(String text) {
        return Json.createObjectBuilder().add("type", "message:send").add("text", text).build().toString();
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    /**
     * The 101 answers an offer with the extension (Payara: always with server_no_context_takeover); Liberty answers
     * without one (what the skipped tests stand on).
     */
    @Test
    void anOfferIsAnsweredInTheHandshake() throws IOException {
        try (RawWebSocket raw = join(name("offer"), true)) {
            String answer = raw.handshake().headers().get("sec-websocket-extensions");
            System.out.println("compression.answer server=" + AppServer.kind() + " extensions=" + answer);
            if (!negotiates()) {
                assertNull(answer, "Liberty negotiates no extension");
                return;
            }
            assertTrue(answer != null && answer.startsWith("permessage-deflate"), String.valueOf(answer));
            if (AppServer.kind().equals("payara")) {
                assertEquals("permessage-deflate; server_no_context_takeover; client_no_context_takeover", answer);
            }
        }
    }

    /** Without an offer nothing changes: no extension in the 101, a large broadcast as a plain text frame. */
    @Test
    void withoutAnOfferNothingChanges() throws IOException {
        try (RawWebSocket plain = join(name("plain"), false)) {
            assertNull(plain.handshake().headers().get("sec-websocket-extensions"));
            String big = "plain ".repeat(1_500);
            plain.sendText(send(big));
            Msg m = nextMessage(plain);
            assertEquals(0x81, m.first(), "FIN, no RSV, text");
            assertEquals(big, m.field("text"));
        }
    }

    /**
     * An ~8 KB broadcast reaches a compressing client as one RSV1 frame (smaller than the text) that inflates to
     * exactly the text the plain client got; a small one comes uncompressed (Payara: under min-bytes).
     */
    @Test
    void aLargeBroadcastArrivesCompressedAndInflatesToWhatThePlainClientGot() throws IOException {
        assumeNegotiates();
        try (RawWebSocket deflating = join(name("deflating"), true); RawWebSocket plain = join(name("plain"), false)) {
            StringBuilder big = new StringBuilder();
            for (int i = 0; big.length() < 8_000; i++) {
                big.append("{\"sdp\":\"candidate:").append(i).append(" 1 udp 2122260223 10.0.0.").append(i % 250).append(" ").append(40_000 + i).append(" typ host\"} ");
            }
            plain.sendText(send(big.toString()));
            Msg atPlain = nextMessage(plain);
            Msg atDeflating = nextMessage(deflating);
            assertEquals(0x81, atPlain.first());
            assertEquals(0xC1, atDeflating.first(), "FIN, RSV1, text: one compressed frame");
            assertTrue(atDeflating.payload().length < atPlain.payload().length / 2,
                    atDeflating.payload().length + " compressed bytes for " + atPlain.payload().length);
            assertEquals(atPlain.text(), atDeflating.text(),
                    "the same JSON, byte for byte");

            deflating.sendText(send("small"));
            Msg small = nextMessage(deflating);
            assertEquals("small", small.field("text"));
            System.out.println("compression.small-message server=" + AppServer.kind() + " first=0x" + Integer.toHexString(small.first())
                    + " payload=" + small.payload().length);
            if (AppServer.kind().equals("payara")) {
                assertEquals(0x81, small.first(), "under websocket.compression.min-bytes: uncompressed");
            }
            assertEquals("small", nextMessage(plain).field("text"));
        }
    }

    /**
     * A client's compressed message (RSV1) is inflated and answered, and a second one too (each a fresh stream, as
     * Payara's answer asks with client_no_context_takeover; Undertow's answer lets the client keep context, which a
     * fresh stream per message is also valid under).
     */
    @Test
    void aCompressedClientMessageIsAnswered() throws IOException {
        assumeNegotiates();
        try (RawWebSocket deflating = join(name("sender"), true)) {
            for (String t : new String[] {"compressed hello " + "ab".repeat(600), "and again"}) {
                deflating.sendRaw(FrameGuard.masked(0xC1, deflate(send(t).getBytes(StandardCharsets.UTF_8))));
                assertEquals(t, nextMessage(deflating).field("text"));
            }
        }
    }

    /**
     * A zip bomb (10 MB of text in some 10 KB compressed, over the 64 KiB message limit) closes 1009, and the server
     * carries on: a new connection's message is answered.
     */
    @Test
    void aZipBombCloses1009AndTheServerCarriesOn() throws IOException {
        assumeNegotiates();
        byte[] bomb = deflate(send("0".repeat(10 * 1024 * 1024)).getBytes(StandardCharsets.UTF_8));
        assertTrue(bomb.length < LIMIT, bomb.length + " compressed bytes: within the limit until inflated");
        try (RawWebSocket deflating = join(name("bomber"), true)) {
            assertEquals(1009, FrameGuard.closeCodeAfter(deflating, FrameGuard.masked(0xC1, bomb)));
        }
        try (RawWebSocket after = join(name("after"), true)) {
            after.sendText(send("still here"));
            assertEquals("still here", nextMessage(after).field("text"));
        }
    }

    /**
     * A corrupt deflate stream closes 1007 on Payara (the frame is well formed, its data not consistent with the
     * message: RFC 6455 section 7.4.1); Undertow closes such a frame as a protocol error (1002).
     */
    @Test
    void aCorruptStreamCloses() throws IOException {
        assumeNegotiates();
        byte[] corrupt = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x12, 0x34, 0x56, 0x78};
        try (RawWebSocket deflating = join(name("corrupt"), true)) {
            int code = FrameGuard.closeCodeAfter(deflating, FrameGuard.masked(0xC1, corrupt));
            System.out.println("compression.corrupt-stream server=" + AppServer.kind() + " close=" + code);
            if (AppServer.kind().equals("payara")) {
                assertEquals(1007, code);
            } else {
                assertTrue(code == 1007 || code == 1002, "code " + code);
            }
        }
    }

    /** RSV1 on a connection that did not negotiate the extension is a protocol error, as before (1002). */
    @Test
    void rsv1WithoutTheExtensionCloses1002() throws IOException {
        try (RawWebSocket plain = join(name("rsv"), false)) {
            assertFalse(plain.handshake().headers().containsKey("sec-websocket-extensions"));
            byte[] payload = deflate(send("x").getBytes(StandardCharsets.UTF_8));
            assertEquals(1002, FrameGuard.closeCodeAfter(plain, FrameGuard.masked(0xC1, payload)));
        }
    }
}
