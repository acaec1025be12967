package dev.switchboard.transport.tyrus;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;

import static dev.switchboard.transport.tyrus.TyrusInputTest.frame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The frame checks made ahead of Tyrus: masking (RFC 6455 §5.1) and the endpoint's limit, judged at the header. */
class FrameUnmaskerTest {

    private static final byte[] KEY = {1, 2, 3, 4};
    private static final FrameUnmasker.Limits SMALL = text -> text ? 100 : 50;

    /** Runs the bytes through in one call; @return what came out. */
    private static byte[] through(FrameUnmasker u, byte[] wire) throws FrameUnmasker.Violation {
        byte[] data = Arrays.copyOf(wire, wire.length);
        int n = u.unmask(data, 0, 0, data.length);
        return Arrays.copyOf(data, n);
    }

    private static byte[] header(int first, long length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(first);
        out.write(0x80 | 127);
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (length >>> shift));
        }
        out.writeBytes(KEY);
        return out.toByteArray();
    }

    @Test
    void anUnmaskedClientFrameIsAProtocolErrorWhetherOrNotThisStreamUnmasks() {
        for (boolean unmask : new boolean[] {true, false}) {
            byte[] wire = frame(1, true, false, "{\"type\":\"ping\"}".getBytes(), null);
            FrameUnmasker.Violation v = assertThrows(FrameUnmasker.Violation.class,
                    () -> through(new FrameUnmasker(unmask, FrameUnmasker.Limits.NONE), wire));
            assertEquals(1002, v.code());
            assertEquals("Unmasked client frame", v.getMessage());
        }
    }

    @Test
    void anUnmaskedPingIsRefusedToo() {
        byte[] wire = frame(0x9, true, false, new byte[3], null);
        assertEquals(1002, assertThrows(FrameUnmasker.Violation.class,
                () -> through(new FrameUnmasker(true, SMALL), wire)).code());
    }

    @Test
    void withoutUnmaskingTheBytesPassUnchanged() throws Exception {
        Random random = new Random(3);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (int i = 0; i < 30; i++) {
            byte[] payload = new byte[random.nextInt(3) == 0 ? 70000 : random.nextInt(300)];
            random.nextBytes(payload);
            byte[] key = new byte[4];
            random.nextBytes(key);
            wire.writeBytes(frame(i % 5 == 0 ? 0x9 : 0x2, true, false, payload.length > 125 && i % 5 == 0 ? new byte[5] : payload, key));
        }
        byte[] in = wire.toByteArray();
        assertArrayEquals(in, through(new FrameUnmasker(false, FrameUnmasker.Limits.NONE), in));
    }

    @Test
    void aHeaderOverTheLimitIsRefusedBeforeAnyPayload() {
        // a 10 MB text frame's header alone, as a client that never sends the payload
        byte[] onlyTheHeader = header(0x81, 10L * 1024 * 1024);
        FrameUnmasker.Violation v = assertThrows(FrameUnmasker.Violation.class,
                () -> through(new FrameUnmasker(true, SMALL), onlyTheHeader));
        assertEquals(1009, v.code());
        assertEquals("Message too big: limit 100 bytes", v.getMessage());
    }

    @Test
    void textAndBinaryHaveTheirOwnLimitsAndTheLimitItselfIsAllowed() throws Exception {
        FrameUnmasker u = new FrameUnmasker(true, SMALL);
        assertEquals(102, through(u, frame(1, true, false, new byte[100], KEY)).length);
        assertEquals(52, through(u, frame(2, true, false, new byte[50], KEY)).length);
        assertEquals(1009, assertThrows(FrameUnmasker.Violation.class,
                () -> through(u, frame(2, true, false, new byte[51], KEY))).code());
    }

    @Test
    void fragmentsCountTogetherAndControlFramesBetweenThemDoNot() throws Exception {
        FrameUnmasker u = new FrameUnmasker(true, SMALL);
        through(u, frame(1, false, false, new byte[40], KEY));
        through(u, frame(0x9, true, false, new byte[100], KEY)); // a ping in between: 100 bytes, not counted
        through(u, frame(0, false, false, new byte[40], KEY));
        FrameUnmasker.Violation v = assertThrows(FrameUnmasker.Violation.class,
                () -> through(u, frame(0, true, false, new byte[21], KEY)));
        assertEquals(1009, v.code(), "40 + 40 + 21 > 100");
    }

    @Test
    void aFinishedMessageStartsTheCountAgain() throws Exception {
        FrameUnmasker u = new FrameUnmasker(true, SMALL);
        for (int i = 0; i < 5; i++) {
            through(u, frame(1, false, false, new byte[60], KEY));
            through(u, frame(0, true, false, new byte[40], KEY));
        }
    }

    @Test
    void theLimitIsReadAtEveryHeader() throws Exception {
        long[] limit = {10};
        FrameUnmasker u = new FrameUnmasker(true, text -> limit[0]);
        assertThrows(FrameUnmasker.Violation.class, () -> through(u, frame(1, true, false, new byte[11], KEY)));
        FrameUnmasker v = new FrameUnmasker(true, text -> limit[0]);
        limit[0] = 20;
        through(v, frame(1, true, false, new byte[11], KEY));
    }
}
