package dev.switchboard.transport.tyrus;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads a client's stream of RFC 6455 frames ahead of Tyrus: checks every frame header as soon as it is complete,
 * before any of its payload is buffered, and (when {@code unmask} is on) removes the client's masking eight bytes
 * at a time, rewriting each header as unmasked (mask bit cleared, masking key dropped). See {@link TyrusInput} for
 * why.
 *
 * <p>The checks Tyrus does not make, or makes only after it has buffered a whole frame: a client frame must be
 * masked (RFC 6455 §5.1; else {@link Violation} 1002), its length must have the top bit clear (§5.2; 1002), and a
 * text or binary message, a frame or the sum of its fragments so far, must not be larger than the endpoint's own
 * limit ({@link Limits}, read at every header; 1009). Everything else (opcodes, fragmentation order, control frame
 * sizes, UTF-8) is left to Tyrus, which handles it.</p>
 *
 * <p>Works in place in one array: input read at {@code r}, output written at {@code w <= r}. Output never outruns
 * input because every header shrinks by the four key bytes or stays as it was, except that a header begun in an
 * earlier call (at most 13 bytes, {@link #held()}) is written out when it completes; the caller leaves that much
 * room in front of the new input. Without {@code unmask} the output is the input, byte for byte.</p>
 */
final class FrameUnmasker {

    /** The longest header: 2 bytes, 8 of length, 4 of key. */
    static final int MAX_HEADER = 14;

    static final int PROTOCOL_ERROR = 1002;
    static final int TOO_BIG = 1009;

    private static final int CONTINUATION = 0x0;
    private static final int TEXT = 0x1;
    private static final int BINARY = 0x2;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** The endpoint's largest inbound message, in bytes, for text ({@code true}) or binary messages. */
    interface Limits {
        long of(boolean text);

        Limits NONE = text -> Long.MAX_VALUE;
    }

    /** A frame the connection must be closed for, with the close code and reason to send. */
    static final class Violation extends IOException {
        private final int code;

        Violation(int code, String reason) {
            super(reason);
            this.code = code;
        }

        int code() {
            return code;
        }
    }

    private final boolean unmask;
    private final Limits limits;
    private final byte[] header = new byte[MAX_HEADER];
    private int have;
    private int need = 2;
    private long payloadLeft;
    private final byte[] key = new byte[4];
    private boolean masked;
    private int phase;
    /** The opcode of the fragmented message under way (0: none) and its bytes so far. */
    private int messageOpcode;
    private long messageBytes;

    FrameUnmasker(boolean unmask, Limits limits) {
        this.unmask = unmask;
        this.limits = limits;
    }

    /** Header bytes of an unfinished header kept from earlier input; they come out ahead of the next output. */
    int held() {
        return have;
    }

    /**
     * Passes {@code n} bytes of input at {@code data[r..]} on to {@code data[w..]}, unmasked when so configured;
     * {@code r - w} must be at least {@link #held()}. Returns how many bytes were written.
     *
     * @throws Violation when a frame header breaks one of the rules above; the output of this call is then void
     */
    int unmask(byte[] data, int w, int r, int n) throws Violation {
        int start = w;
        int end = r + n;
        while (r < end) {
            if (payloadLeft > 0) {
                int k = (int) Math.min(payloadLeft, end - r);
                if (masked && unmask) {
                    xor(data, r, w, k);
                } else if (w != r) {
                    System.arraycopy(data, r, data, w, k);
                }
                r += k;
                w += k;
                payloadLeft -= k;
                phase = (phase + k) & 3;
                continue;
            }
            while (r < end && have < need) {
                header[have++] = data[r++];
                if (have == 2) {
                    int code = header[1] & 0x7F;
                    need = 2 + (code == 126 ? 2 : code == 127 ? 8 : 0) + ((header[1] & 0x80) != 0 ? 4 : 0);
                }
            }
            if (have < need) {
                break;
            }
            w = startPayload(data, w);
        }
        return w - start;
    }

    /** Checks the finished header, writes it out (unmasked when so configured) and sets up its payload. */
    private int startPayload(byte[] data, int w) throws Violation {
        masked = (header[1] & 0x80) != 0;
        int code = header[1] & 0x7F;
        int lengthBytes = code == 126 ? 2 : code == 127 ? 8 : 0;
        long length = code < 126 ? code : 0;
        for (int i = 0; i < lengthBytes; i++) {
            length = (length << 8) | (header[2 + i] & 0xFF);
        }
        if (!masked) {
            throw new Violation(PROTOCOL_ERROR, "Unmasked client frame");
        }
        if (length < 0) {
            throw new Violation(PROTOCOL_ERROR, "Invalid WebSocket frame: payload length over 2^63");
        }
        checkSize(header[0], length);
        if (unmask) {
            data[w++] = header[0];
            data[w++] = (byte) code;
            System.arraycopy(header, 2, data, w, lengthBytes);
            w += lengthBytes;
            System.arraycopy(header, 2 + lengthBytes, key, 0, 4);
        } else {
            System.arraycopy(header, 0, data, w, need);
            w += need;
        }
        payloadLeft = length;
        phase = 0;
        have = 0;
        need = 2;
        return w;
    }

    /** A text or binary message may not grow past the endpoint's limit, in one frame or over its fragments. */
    private void checkSize(byte first, long length) throws Violation {
        int opcode = first & 0x0F;
        if (opcode >= 0x8) {
            return; // control frames: at most 125 bytes, Tyrus checks that
        }
        boolean fin = (first & 0x80) != 0;
        int type = opcode == CONTINUATION ? messageOpcode : opcode;
        long total = opcode == CONTINUATION ? messageBytes + length : length;
        if (type == TEXT || type == BINARY) {
            long limit = limits.of(type == TEXT);
            if (total > limit) {
                throw new Violation(TOO_BIG, "Message too big: limit " + limit + " bytes");
            }
        }
        // anything out of order (a continuation without a start, a new message inside one) is Tyrus's to refuse
        messageOpcode = fin ? 0 : type;
        messageBytes = fin ? 0 : total;
    }

    /** data[w..w+k) = data[r..r+k) ^ key, starting at key byte {@link #phase}; safe in place because w <= r. */
    private void xor(byte[] data, int r, int w, int k) {
        int p = phase;
        int i = 0;
        if (k >= 8) {
            long mask = 0;
            for (int j = 0; j < 8; j++) {
                mask = (mask << 8) | (key[(p + j) & 3] & 0xFF);
            }
            for (; i <= k - 8; i += 8) {
                LONGS.set(data, w + i, (long) LONGS.get(data, r + i) ^ mask);
            }
        }
        for (; i < k; i++) {
            data[w + i] = (byte) (data[r + i] ^ key[(p + i) & 3]);
        }
    }
}
