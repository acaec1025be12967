package dev.switchboard.transport.tyrus;

import dev.switchboard.hub.entity.Frame;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class WireFramesTest {

    /** Reads a server frame back the way RFC 6455 section 5.2 describes it. */
    private static String read(byte[] wire) {
        ByteBuffer b = ByteBuffer.wrap(wire);
        int b0 = b.get() & 0xff;
        assertEquals(0x81, b0, "FIN and opcode 1 (text)");
        int b1 = b.get() & 0xff;
        assertEquals(0, b1 & 0x80, "a server frame is not masked");
        long len = b1 & 0x7f;
        if (len == 126) {
            len = b.getShort() & 0xffff;
            assertEquals(true, len >= 126, "shortest length form");
        } else if (len == 127) {
            len = b.getLong();
            assertEquals(true, len > 0xffff, "shortest length form");
        }
        assertEquals(len, b.remaining(), "the payload is exactly the announced length");
        return StandardCharsets.UTF_8.decode(b).toString();
    }

    @Test
    void wireIsOneWholeTextFrameAtEveryLengthForm() {
        for (int n : new int[] {0, 1, 125, 126, 127, 65_535, 65_536, 200_000}) {
            String text = "x".repeat(n);
            byte[] wire = WireFrames.text(text);
            assertEquals(text, read(wire));
            assertEquals(n + (n < 126 ? 2 : n <= 65_535 ? 4 : 10), wire.length);
        }
    }

    @Test
    void wireCarriesUtf8AndIsBuiltOnce() {
        Frame f = Frame.of("{\"m\":\"é€😀\"}");
        assertEquals("{\"m\":\"é€😀\"}", read(f.encoded(WireFrames::text)));
        assertEquals(f.bytes() + 2, f.encoded(WireFrames::text).length, "the frame's UTF-8 count matches the encoding");
        assertSame(f.encoded(WireFrames::text), f.encoded(WireFrames::text), "encoded once per frame");
        assertArrayEquals(WireFrames.text("é".repeat(100)), WireFrames.text("é".repeat(100)));
    }
}
