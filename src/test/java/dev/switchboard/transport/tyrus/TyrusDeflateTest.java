package dev.switchboard.transport.tyrus;

import dev.switchboard.transport.ClientInflate;

import dev.switchboard.transport.PerMessageDeflate;

import org.glassfish.tyrus.core.frame.Frame;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Tyrus extension's frame handling, without a connection (the closes are CompressionIT's, on the wire). */
class TyrusDeflateTest {

    private static final PerMessageDeflate.Accepted ACCEPTED =
            PerMessageDeflate.negotiate(List.of(new jakarta.websocket.Extension() {
                @Override
                public String getName() {
                    return "permessage-deflate";
                }

                @Override
                public List<Parameter> getParameters() {
                    return List.of();
                }
            })).orElseThrow();

    private static Frame frame(int opcode, boolean fin, boolean rsv1, byte[] payload) {
        return Frame.builder().opcode((byte) opcode).fin(fin).rsv1(rsv1).payloadData(payload).payloadLength(payload.length).build();
    }

    private static byte[] clientDeflate(byte[] data) {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        d.setInput(data);
        byte[] out = new byte[data.length + 1024];
        int n = d.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
        d.end();
        return Arrays.copyOf(out, n - 4);
    }


    @Test
    void aCompressedTextIsInflatedAndLosesRsv1() {
        TyrusDeflate d = new TyrusDeflate(ACCEPTED, 1024);
        byte[] text = "{\"type\":\"message:send\",\"text\":\"hello hello hello\"}".getBytes(StandardCharsets.UTF_8);
        Frame in = d.processIncoming(null, frame(0x1, true, true, clientDeflate(text)));
        assertFalse(in.isRsv1());
        assertEquals(0x1, in.getOpcode());
        assertArrayEquals(text, in.getPayloadData());
        assertEquals(text.length, in.getPayloadLength());
        d.destroy(null);
    }

    @Test
    void uncompressedAndControlFramesPassUnchanged() {
        TyrusDeflate d = new TyrusDeflate(ACCEPTED, 1024);
        Frame plain = frame(0x1, true, false, "x".getBytes(StandardCharsets.UTF_8));
        assertSame(plain, d.processIncoming(null, plain));
        Frame ping = frame(0x9, true, true, new byte[0]);
        assertSame(ping, d.processIncoming(null, ping), "RSV1 on a control frame is left for Tyrus to refuse");
        Frame rsvContinuation = frame(0x0, true, true, new byte[0]);
        assertSame(rsvContinuation, d.processIncoming(null, rsvContinuation), "RSV1 on a continuation: Tyrus refuses");
    }

    @Test
    void aFragmentedCompressedMessageIsInflatedAcrossItsFrames() {
        TyrusDeflate d = new TyrusDeflate(ACCEPTED, 1024);
        byte[] text = "fragmented ".repeat(500).getBytes(StandardCharsets.UTF_8);
        byte[] c = clientDeflate(text);
        int half = c.length / 2;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Frame a = d.processIncoming(null, frame(0x1, false, true, Arrays.copyOfRange(c, 0, half)));
        Frame ping = frame(0x9, true, false, new byte[0]);
        assertSame(ping, d.processIncoming(null, ping), "a control frame between the fragments");
        Frame b = d.processIncoming(null, frame(0x0, true, false, Arrays.copyOfRange(c, half, c.length)));
        assertFalse(a.isRsv1());
        assertEquals(0x0, b.getOpcode());
        out.writeBytes(a.getPayloadData());
        out.writeBytes(b.getPayloadData());
        assertArrayEquals(text, out.toByteArray());
        Frame next = frame(0x1, true, false, "after".getBytes(StandardCharsets.UTF_8));
        assertSame(next, d.processIncoming(null, next), "the next, uncompressed message is left alone");
    }

    @Test
    void outgoingMessagesOverTheThresholdAreCompressedOthersNot() throws Exception {
        TyrusDeflate d = new TyrusDeflate(ACCEPTED, 1024);
        byte[] big = "{\"k\":\"value\"}".repeat(200).getBytes(StandardCharsets.UTF_8);
        Frame out = d.processOutgoing(null, frame(0x1, true, false, big));
        assertTrue(out.isRsv1());
        assertTrue(out.getPayloadLength() < big.length / 5);
        assertArrayEquals(big, ClientInflate.message(out.getPayloadData()));
        Frame small = frame(0x1, true, false, new byte[1023]);
        assertSame(small, d.processOutgoing(null, small), "under min-bytes");
        Frame fragment = frame(0x1, false, false, big);
        assertSame(fragment, d.processOutgoing(null, fragment), "fragments are never compressed");
        Frame close = frame(0x8, true, false, new byte[2]);
        assertSame(close, d.processOutgoing(null, close));
    }

    @Test
    void aSharedBroadcastFrameIsCompressedOnceAndInflatesToThePlainOne() throws Exception {
        String text = "{\"type\":\"message:new\",\"data\":{\"text\":\"" + "broadcast ".repeat(800) + "\"}}";
        WireFrames.Shared shared = new WireFrames.Shared(text);
        byte[] plain = shared.plain();
        byte[] compressed = shared.compressed();
        assertSame(compressed, shared.compressed(), "built once");
        assertEquals(0xC1, compressed[0] & 0xFF, "FIN, RSV1, text");
        ByteBuffer b = ByteBuffer.wrap(compressed, 1, compressed.length - 1);
        int len = b.get() & 0x7F;
        int n = len == 126 ? b.getShort() & 0xFFFF : len;
        assertEquals(b.remaining(), n);
        byte[] payload = Arrays.copyOfRange(compressed, compressed.length - n, compressed.length);
        assertEquals(text, new String(ClientInflate.message(payload), StandardCharsets.UTF_8));
        assertArrayEquals(WireFrames.text(text), plain);
        WireFrames.Shared tiny = new WireFrames.Shared("ab");
        assertSame(tiny.plain(), tiny.compressed(), "not smaller compressed: the plain frame");
    }
}
