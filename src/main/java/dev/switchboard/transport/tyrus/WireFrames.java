package dev.switchboard.transport.tyrus;

import java.nio.charset.StandardCharsets;

/** Server-to-client WebSocket frames as bytes, for the writers below Tyrus's own framing. */
final class WireFrames {

    private WireFrames() {
    }

    /**
     * The whole frame carrying one text (RFC 6455, section 5.2: FIN, opcode 1, no mask, the shortest length form).
     */
    static byte[] text(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        int n = payload.length;
        int header = n < 126 ? 2 : n <= 0xFFFF ? 4 : 10;
        byte[] w = new byte[header + n];
        w[0] = (byte) 0x81;
        if (n < 126) {
            w[1] = (byte) n;
        } else if (n <= 0xFFFF) {
            w[1] = 126;
            w[2] = (byte) (n >>> 8);
            w[3] = (byte) n;
        } else {
            w[1] = 127;
            long len = n;
            for (int i = 0; i < 8; i++) {
                w[2 + i] = (byte) (len >>> (56 - 8 * i));
            }
        }
        System.arraycopy(payload, 0, w, header, n);
        return w;
    }
}
