package dev.switchboard.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Raw frames a conforming client never sends, and how the server's close is read back. */
final class FrameGuard {

    private FrameGuard() {
    }

    /** Every dialect path with what lets an anonymous or token client in (the admin token where one is needed). */
    static Map<String, String> paths(String token) {
        Map<String, String> paths = new LinkedHashMap<>();
        paths.put("node", "/api/ws?token=" + token);
        paths.put("vault", "/ws");
        paths.put("rtc", "/rtc/ws?token=" + token);
        paths.put("control", "/control/ws");
        paths.put("workspace", "/workspace/ws?username=guard" + ThreadLocalRandom.current().nextInt(1_000_000));
        return paths;
    }

    /** RFC 6455 §5.1 on every dialect path of a server: an unmasked frame right after the handshake closes with 1002. */
    static void assertUnmaskedFramesClose1002(AppServer server, String token) throws IOException {
        for (Map.Entry<String, String> path : paths(token).entrySet()) {
            try (RawWebSocket raw = RawWebSocket.open(server.port(), path.getValue(), Map.of(), 0)) {
                assertEquals(101, raw.handshake().status(), path.getKey());
                assertEquals(1002, closeCodeAfter(raw, unmasked("{\"type\":\"ping\"}")), path.getKey());
            }
        }
    }

    /** A final text frame as a broken client would send it: no mask bit, no key, payload in clear. */
    static byte[] unmasked(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x81);
        out.write(payload.length); // < 126 in these tests
        out.writeBytes(payload);
        return out.toByteArray();
    }

    /** Only the header of a masked frame announcing {@code length} bytes; the payload is never sent. */
    static byte[] header(int first, long length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(first);
        out.write(0x80 | 127);
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (length >>> shift));
        }
        out.writeBytes(new byte[] {7, 7, 7, 7});
        return out.toByteArray();
    }

    /** A masked frame with the given first byte (FIN and opcode), for fragments. */
    static byte[] masked(int first, byte[] payload) {
        byte[] whole = RawWebSocket.frame(first & 0x0F, payload);
        whole[0] = (byte) first;
        return whole;
    }

    /**
     * Sends the bytes and reads until the server's close frame, answering pings and skipping whatever it pushes.
     * A server that waits for more (a payload that never comes) runs into the socket's read timeout, and one that
     * carries on as if nothing happened into the bound of 20 s: either fails the test (a bound, not a timing claim).
     */
    static int closeCodeAfter(RawWebSocket raw, byte[] bytes) throws IOException {
        raw.soTimeout(15_000);
        raw.sendRaw(bytes);
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (true) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the server did not close the connection");
            }
            RawWebSocket.Frame f = raw.readFrame();
            if (f.opcode() == 0x8) {
                return f.closeCode();
            }
            if (f.opcode() == 0x9) {
                raw.sendFrame(0xA, f.payload());
            }
        }
    }
}
