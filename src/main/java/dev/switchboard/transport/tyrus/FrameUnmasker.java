package dev.switchboard.transport.tyrus;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Removes the client's masking from a stream of RFC 6455 frames, eight bytes at a time, and rewrites each header
 * as unmasked (mask bit cleared, masking key dropped). The result is the same frames as if the client had sent
 * them unmasked: opcode, flags (including RSV1 for compression) and lengths are untouched, and frames can be split
 * anywhere across calls. See {@link TyrusInput} for why.
 *
 * <p>Works in place in one array: input read at {@code r}, output written at {@code w <= r}. Output never outruns
 * input because every header shrinks by the four key bytes or stays as it was, except that a header begun in an
 * earlier call (at most 13 bytes, {@link #held()}) is written out when it completes; the caller leaves that much
 * room in front of the new input. Frames that arrive unmasked pass through unchanged.</p>
 */
final class FrameUnmasker {

    /** The longest header: 2 bytes, 8 of length, 4 of key. */
    static final int MAX_HEADER = 14;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final byte[] header = new byte[MAX_HEADER];
    private int have;
    private int need = 2;
    private long payloadLeft;
    private final byte[] key = new byte[4];
    private boolean masked;
    private int phase;

    /** Header bytes of an unfinished header kept from earlier input; they come out ahead of the next output. */
    int held() {
        return have;
    }

    /**
     * Unmasks {@code n} bytes of input at {@code data[r..]} into {@code data[w..]}; {@code r - w} must be at least
     * {@link #held()}. Returns how many bytes were written.
     *
     * @throws IOException when a frame announces a length of 2^63 or more (RFC 6455 requires the top bit clear)
     */
    int unmask(byte[] data, int w, int r, int n) throws IOException {
        int start = w;
        int end = r + n;
        while (r < end) {
            if (payloadLeft > 0) {
                int k = (int) Math.min(payloadLeft, end - r);
                if (masked) {
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

    /** Writes out the finished header, unmasked, and sets up its payload. */
    private int startPayload(byte[] data, int w) throws IOException {
        masked = (header[1] & 0x80) != 0;
        int code = header[1] & 0x7F;
        int lengthBytes = code == 126 ? 2 : code == 127 ? 8 : 0;
        long length = code < 126 ? code : 0;
        for (int i = 0; i < lengthBytes; i++) {
            length = (length << 8) | (header[2 + i] & 0xFF);
        }
        if (length < 0) {
            throw new IOException("Invalid WebSocket frame: payload length over 2^63");
        }
        data[w++] = header[0];
        data[w++] = (byte) code;
        System.arraycopy(header, 2, data, w, lengthBytes);
        w += lengthBytes;
        if (masked) {
            System.arraycopy(header, 2 + lengthBytes, key, 0, 4);
        }
        payloadLeft = length;
        phase = 0;
        have = 0;
        need = 2;
        return w;
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
