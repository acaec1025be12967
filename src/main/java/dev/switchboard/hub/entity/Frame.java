package dev.switchboard.hub.entity;

import java.nio.charset.StandardCharsets;

/**
 * One encoded text frame, shared by every connection it is sent to. The UTF-8 size is counted once here,
 * so a broadcast to N connections does no per-connection encoding or measuring; a transport that can write
 * finished frames asks for {@link #wire()}, built once for all of them.
 */
public final class Frame {

    private final String text;
    private final int bytes;
    private volatile byte[] wire;

    private Frame(String text, int bytes) {
        this.text = text;
        this.bytes = bytes;
    }

    public static Frame of(String text) {
        return new Frame(text, utf8Length(text));
    }

    public String text() {
        return text;
    }

    /** The UTF-8 length of the text. */
    public int bytes() {
        return bytes;
    }

    /**
     * The whole server-to-client WebSocket frame carrying the text (RFC 6455, section 5.2: FIN, opcode 1, no mask,
     * the shortest length form), made on first use. Callers must not change it.
     */
    public byte[] wire() {
        byte[] w = wire;
        if (w == null) {
            w = encode(text.getBytes(StandardCharsets.UTF_8));
            wire = w;
        }
        return w;
    }

    static byte[] encode(byte[] payload) {
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

    static int utf8Length(CharSequence s) {
        int n = 0;
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    @Override
    public String toString() {
        return "Frame[" + bytes + " bytes]";
    }
}
