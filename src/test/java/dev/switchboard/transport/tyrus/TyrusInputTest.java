package dev.switchboard.transport.tyrus;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The unmasking stream turns masked client frames into the same frames unmasked, however the input is cut up. */
class TyrusInputTest {

    /** A client frame: header (masked or not) then payload. */
    static byte[] frame(int opcode, boolean fin, boolean rsv1, byte[] payload, byte[] key) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode);
        int maskBit = key == null ? 0 : 0x80;
        int n = payload.length;
        if (n < 126) {
            out.write(maskBit | n);
        } else if (n < 65536) {
            out.write(maskBit | 126);
            out.write(n >>> 8);
            out.write(n);
        } else {
            out.write(maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) n >>> shift));
            }
        }
        if (key != null) {
            out.writeBytes(key);
        }
        for (int i = 0; i < n; i++) {
            out.write(key == null ? payload[i] : payload[i] ^ key[i & 3]);
        }
        return out.toByteArray();
    }

    /** Feeds {@code wire} to the stream in pieces of the given sizes, reading with buffers sized like Tyrus's. */
    static byte[] readThrough(byte[] wire, Random random, int maxPiece) throws IOException {
        Pieces source = new Pieces(wire, random, maxPiece);
        TyrusInput input = new TyrusInput(source, null, true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (!source.isFinished()) {
            int available = input.available();
            byte[] buffer = new byte[available == 0 ? 16384 : available];
            int n = input.read(buffer);
            if (n > 0) {
                out.write(buffer, 0, n);
            }
        }
        return out.toByteArray();
    }

    @Test
    void randomFramesCutAnywhereComeOutUnmasked() throws IOException {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            ByteArrayOutputStream masked = new ByteArrayOutputStream();
            ByteArrayOutputStream plain = new ByteArrayOutputStream();
            int frames = 1 + random.nextInt(12);
            for (int f = 0; f < frames; f++) {
                int size = switch (random.nextInt(5)) {
                    case 0 -> 0;
                    case 1 -> random.nextInt(126);
                    case 2 -> 126 + random.nextInt(2000);
                    case 3 -> 65536 + random.nextInt(70000);
                    default -> random.nextInt(20);
                };
                byte[] payload = new byte[size];
                random.nextBytes(payload);
                byte[] key = new byte[4];
                random.nextBytes(key);
                int opcode = random.nextInt(4) == 0 ? 0x9 : 0x1;
                boolean rsv1 = random.nextBoolean();
                masked.writeBytes(frame(opcode, true, rsv1, payload, key));
                plain.writeBytes(frame(opcode, true, rsv1, payload, null));
            }
            int maxPiece = 1 + random.nextInt(random.nextBoolean() ? 20 : 70000);
            assertArrayEquals(plain.toByteArray(), readThrough(masked.toByteArray(), random, maxPiece), "round " + round);
        }
    }

    @Test
    void aHeaderSplitByteByByteIsHeldAndWrittenWhole() throws IOException {
        byte[] payload = "{\"type\":\"ping\"}".getBytes();
        byte[] key = {1, 2, 3, 4};
        byte[] wire = frame(1, true, false, payload, key);
        assertArrayEquals(frame(1, true, false, payload, null), readThrough(wire, new Random(1), 1));
    }

    @Test
    void aLengthWithTheTopBitSetIsRefused() {
        byte[] wire = new byte[14];
        wire[0] = (byte) 0x81;
        wire[1] = (byte) (0x80 | 127);
        wire[2] = (byte) 0x80;
        IOException e = assertThrows(IOException.class, () -> readThrough(wire, new Random(2), 14));
        assertEquals("Invalid WebSocket frame: payload length over 2^63", e.getMessage());
    }

    @Test
    void readsLeaveRoomForAHeldHeader() throws IOException {
        byte[] key = {9, 8, 7, 6};
        byte[] payload = new byte[300];
        Arrays.fill(payload, (byte) 'x');
        byte[] wire = frame(1, true, false, payload, key);
        TyrusInput input = new TyrusInput(new Pieces(wire, null, 5), null, true);
        byte[] buffer = new byte[64];
        assertEquals(0, input.read(buffer), "five bytes of an eight-byte header: nothing to hand on yet");
        assertEquals(10, input.available(), "what the source has plus the held header");
        List<Byte> out = new ArrayList<>();
        int n;
        while ((n = input.read(buffer)) >= 0) {
            for (int i = 0; i < n; i++) {
                out.add(buffer[i]);
            }
            if (out.size() == 304) {
                break;
            }
        }
        assertEquals(304, out.size(), "a four-byte header and the payload");
        assertEquals((byte) 126, out.get(1));
        assertEquals((byte) 'x', out.get(303));
    }

    /** A servlet stream that hands out the bytes in random pieces (or all of {@code maxPiece}), as a socket would. */
    static final class Pieces extends ServletInputStream {
        private final byte[] data;
        private final Random random;
        private final int maxPiece;
        private int at;

        Pieces(byte[] data, Random random, int maxPiece) {
            this.data = data;
            this.random = random;
            this.maxPiece = maxPiece;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (at == data.length) {
                return -1;
            }
            int piece = random == null ? maxPiece : 1 + random.nextInt(maxPiece);
            int n = Math.min(Math.min(len, piece), data.length - at);
            System.arraycopy(data, at, b, off, n);
            at += n;
            return n;
        }

        @Override
        public int read() {
            return at == data.length ? -1 : data[at++] & 0xFF;
        }

        @Override
        public int available() {
            return Math.min(data.length - at, maxPiece);
        }

        @Override
        public boolean isFinished() {
            return at == data.length;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
        }
    }
}
