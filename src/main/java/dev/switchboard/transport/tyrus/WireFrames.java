package dev.switchboard.transport.tyrus;

import dev.switchboard.transport.Deflate;

import java.nio.charset.StandardCharsets;

/** Server-to-client WebSocket frames as bytes, for the writers below Tyrus's own framing. */
final class WireFrames {

    private WireFrames() {
    }

    /**
     * The whole frame carrying one text (RFC 6455, section 5.2: FIN, opcode 1, no mask, the shortest length form).
     */
    static byte[] text(String text) {
        return frame(0x81, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A whole unmasked frame: {@code first} is FIN, RSV and opcode; the shortest length form. */
    static byte[] frame(int first, byte[] payload) {
        int n = payload.length;
        int header = n < 126 ? 2 : n <= 0xFFFF ? 4 : 10;
        byte[] w = new byte[header + n];
        w[0] = (byte) first;
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

    /**
     * One broadcast's frame in both forms, each made when a connection first needs it and then shared: the plain text
     * frame (always made: the compressed one is made from its payload), and for connections with permessage-deflate the compressed one (FIN, RSV1, opcode 1; RFC 7692 section
     * 7.2.1), or the plain one again when compressing does not make it smaller.
     */
    static final class Shared {
        private final String text;
        private volatile byte[] plain;
        private volatile byte[] compressed;

        Shared(String text) {
            this.text = text;
        }

        byte[] plain() {
            byte[] p = plain;
            if (p == null) {
                p = text(text);
                plain = p;
            }
            return p;
        }

        byte[] compressed() {
            byte[] c = compressed;
            if (c == null) {
                byte[] p = plain();
                int header = p[1] == 126 ? 4 : p[1] == 127 ? 10 : 2;
                byte[] deflated = Deflate.compress(p, header, p.length - header);
                c = deflated.length < p.length - header ? frame(0xC1, deflated) : p;
                compressed = c;
            }
            return c;
        }
    }
}
