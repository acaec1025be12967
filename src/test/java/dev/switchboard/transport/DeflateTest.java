package dev.switchboard.transport;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Compressing a message on its own and inflating a client's, bounded (RFC 7692 section 7.2). */
class DeflateTest {

    private static byte[] json(int size) {
        StringBuilder b = new StringBuilder("{\"type\":\"message\",\"items\":[");
        for (int i = 0; b.length() < size; i++) {
            b.append("{\"id\":").append(i).append(",\"name\":\"item ").append(i % 97).append("\"},");
        }
        return b.append("{}]}").toString().getBytes(StandardCharsets.UTF_8);
    }


    /** A client's message: raw deflate with the tail taken off; with {@code deflater} it keeps its context. */
    private static byte[] clientDeflate(Deflater d, byte[] data) {
        d.setInput(data);
        byte[] out = new byte[data.length + 1024];
        int n = d.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
        return Arrays.copyOf(out, n - 4);
    }

    @Test
    void aCompressedMessageInflatesOnItsOwnWithoutTheTail() throws IOException {
        for (int size : new int[] {0, 1, 1_000, 8_000, 200_000}) {
            byte[] data = json(size);
            byte[] c = Deflate.compress(data);
            assertFalse(c.length >= 4 && Arrays.equals(Arrays.copyOfRange(c, c.length - 4, c.length), Deflate.TAIL));
            assertArrayEquals(data, ClientInflate.message(c), "size " + size);
            if (size >= 1_000) {
                assertTrue(c.length < data.length / 3, c.length + " of " + data.length);
            }
        }
    }

    @Test
    void incompressibleDataStillRoundTrips() throws IOException {
        byte[] noise = new byte[50_000];
        ThreadLocalRandom.current().nextBytes(noise);
        assertArrayEquals(noise, ClientInflate.message(Deflate.compress(noise)));
    }

    @Test
    void aClientsMessagesInflateWithContextTakenOver() throws Exception {
        Deflater client = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        Deflate.Inflation server = new Deflate.Inflation(false);
        for (int i = 0; i < 3; i++) {
            byte[] data = json(5_000 + i);
            assertArrayEquals(data, server.inflate(clientDeflate(client, data), true, 1 << 20));
            assertTrue(server.holding(), "the window is kept for the next message");
        }
        client.end();
        server.release();
        assertFalse(server.holding());
    }

    @Test
    void withoutContextTakeoverTheInflaterIsGivenBackAfterEachMessage() throws Exception {
        Deflate.Inflation server = new Deflate.Inflation(true);
        assertFalse(server.holding(), "made when the first compressed message arrives");
        for (int i = 0; i < 2; i++) {
            Deflater client = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
            byte[] data = json(3_000);
            assertArrayEquals(data, server.inflate(clientDeflate(client, data), true, 1 << 20));
            assertFalse(server.holding());
            client.end();
        }
    }

    @Test
    void aFragmentedMessageInflatesFrameByFrame() throws Exception {
        Deflater client = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        byte[] data = json(20_000);
        byte[] c = clientDeflate(client, data);
        Deflate.Inflation server = new Deflate.Inflation(false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int third = c.length / 3;
        out.writeBytes(server.inflate(Arrays.copyOfRange(c, 0, third), false, 1 << 20));
        out.writeBytes(server.inflate(Arrays.copyOfRange(c, third, 2 * third), false, 1 << 20));
        out.writeBytes(server.inflate(Arrays.copyOfRange(c, 2 * third, c.length), true, 1 << 20));
        assertArrayEquals(data, out.toByteArray());
        client.end();
    }

    @Test
    void aZipBombStopsOneBytePastTheLimit() {
        Deflater client = new Deflater(Deflater.BEST_COMPRESSION, true);
        byte[] bomb = clientDeflate(client, new byte[50 * 1024 * 1024]);
        assertTrue(bomb.length < 100_000, bomb.length + " bytes");
        Deflate.Inflation server = new Deflate.Inflation(false);
        assertThrows(Deflate.TooBig.class, () -> server.inflate(bomb, true, 65_536));
        assertFalse(server.holding(), "the inflater is given back");
        client.end();
    }

    @Test
    void theLimitCountsTheWholeMessageOverItsFragments() throws Exception {
        Deflater client = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        Deflate.Inflation server = new Deflate.Inflation(false);
        byte[] whole = clientDeflate(client, json(80_000));
        byte[] first = Arrays.copyOfRange(whole, 0, whole.length / 2);
        byte[] second = Arrays.copyOfRange(whole, whole.length / 2, whole.length);
        assertTrue(server.inflate(first, false, 65_536).length >= 30_000, "the first half is within the limit");
        assertThrows(Deflate.TooBig.class, () -> server.inflate(second, true, 65_536));
        client.end();
    }

    @Test
    void exactlyTheLimitIsAllowed() throws Exception {
        Deflater client = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        byte[] data = new byte[65_536];
        assertEquals(65_536, new Deflate.Inflation(true).inflate(clientDeflate(client, data), true, 65_536).length);
        client.end();
    }

    @Test
    void aCorruptStreamIsADataFormatException() {
        Deflate.Inflation server = new Deflate.Inflation(false);
        assertThrows(DataFormatException.class,
                () -> server.inflate(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x12, 0x34}, true, 65_536));
        assertFalse(server.holding());
    }
}
