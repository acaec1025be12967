package dev.switchboard.dialect.node;

import dev.switchboard.dialect.Decoded;
import dev.switchboard.dialect.DecodedAssert;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataSpanTest {

    private static final byte[] BYTES = new byte[30_000];
    private static final String B64;

    static {
        new Random(7).nextBytes(BYTES);
        B64 = Base64.getEncoder().encodeToString(BYTES);
    }

    private static NodeCodec.Inbound inbound(String text) {
        return DecodedAssert.message(NodeCodec.decode(text));
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    @Test
    void splitsPayloadDataOffALargeChunkWhateverTheOrderAndSpacing() {
        for (String text : new String[] {
                "{\"type\":\"file.upload.chunk\",\"payload\":{\"session_id\":\"s\",\"chunk_index\":3,\"data\":\"" + B64 + "\"},\"timestamp\":1}",
                "{ \"timestamp\" : 1 ,\n \"payload\" : { \"data\" : \"" + B64 + "\" , \"meta\" : {\"a\":[1,{\"data\":\"x\"}],\"b\":\"}\\\"\"},"
                        + " \"chunk_index\" : 3, \"session_id\":\"s\" } , \"type\" : \"file.upload.chunk\" }",
        }) {
            NodeCodec.Inbound in = inbound(text);
            assertEquals("file.upload.chunk", in.type());
            JsonObject p = in.payload().asJsonObject();
            assertEquals("", p.getString("data"), "the skeleton holds the data emptied");
            assertEquals(3, p.getInt("chunk_index"));
            assertEquals(B64.length(), in.data().length());
            assertArrayEquals(BYTES, bytes(in.data().decodeBase64()));
        }
    }

    @Test
    void smallMessagesAndOtherShapesTakeTheOrdinaryPath() {
        assertNull(inbound("{\"type\":\"file.upload.chunk\",\"payload\":{\"data\":\"AAAA\"}}").data(), "small");
        String pad = "x".repeat(DataSpan.MIN_MESSAGE_CHARS);
        assertNull(inbound("{\"type\":\"t\",\"payload\":{\"other\":\"" + pad + "\"}}").data(), "no data member");
        assertNull(inbound("{\"type\":\"t\",\"data\":\"" + pad + "\",\"payload\":{}}").data(), "data outside the payload");
        assertNull(inbound("{\"type\":\"t\",\"payload\":{\"x\":{\"data\":\"" + pad + "\"}}}").data(), "data nested deeper");
        // escapes inside the data: the parser reads it (and it is then simply not base64)
        NodeCodec.Inbound escaped = inbound("{\"type\":\"t\",\"payload\":{\"data\":\"" + pad + "\\\"\"}}");
        assertNull(escaped.data());
        assertEquals(pad + "\"", escaped.payload().asJsonObject().getString("data"));
        // two data keys: the parser's choice counts, not the scanner's
        NodeCodec.Inbound twice = inbound("{\"type\":\"t\",\"payload\":{\"data\":\"" + pad + "\",\"data\":\"last\"}}");
        assertNull(twice.data());
    }

    @Test
    void aBrokenLargeMessageIsJudgedOnItsWholeText() {
        String big = "{\"type\":\"file.upload.chunk\",\"payload\":{\"data\":\"" + B64 + "\"}";
        Decoded.Refused<?> m = DecodedAssert.refused(NodeCodec.decode(big)); // no closing brace
        assertEquals(NodeCodec.INVALID_JSON, m.code());
        String bad = "{\"type\":\"file.upload.chunk\",\"payload\":{\"data\":\"" + B64 + "\",\"n\":tru}}";
        assertEquals(NodeCodec.INVALID_JSON, DecodedAssert.refused(NodeCodec.decode(bad)).code());
        String unterminated = "{\"type\":\"file.upload.chunk\",\"payload\":{\"data\":\"" + B64;
        assertEquals(NodeCodec.INVALID_JSON, DecodedAssert.refused(NodeCodec.decode(unterminated)).code());
        assertEquals(NodeCodec.INVALID_MESSAGE, DecodedAssert.refused(NodeCodec.decode("{\"type\":7,\"payload\":{\"data\":\"" + B64 + "\"}}")).code());
    }

    @Test
    void charactersBeyondLatin1NeverAliasBase64Letters() {
        // U+0141 has 0x41 ('A') as its low byte: it must not decode as 'A'
        String text = "{\"type\":\"t\",\"payload\":{\"data\":\"" + B64.substring(0, B64.length() - 4) + "\u0141AAA\"}}";
        NodeCodec.Inbound in = inbound(text);
        assertTrue(in.data() != null);
        assertThrows(IllegalArgumentException.class, () -> in.data().decodeBase64());
        String junk = "{\"type\":\"t\",\"payload\":{\"data\":\"" + B64.substring(0, B64.length() - 4) + "!!!!\"}}";
        assertThrows(IllegalArgumentException.class, () -> inbound(junk).data().decodeBase64());
    }

    @Test
    void findsTheFirstQuoteOrBackslashAtEveryAlignment() {
        for (int len = 0; len < 40; len++) {
            for (int at = 0; at <= len; at++) {
                byte[] b = "A".repeat(len).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
                if (at < len) {
                    b[at] = (byte) (at % 2 == 0 ? '"' : '\\');
                    if (at + 1 < len) {
                        b[at + 1] = '"';
                    }
                }
                assertEquals(at < len ? at : -1, DataSpan.quoteOrBackslash(b, 0), "len " + len + " at " + at);
                // bytes above 0x7f must not look like a match (the borrow of the zero-byte test)
                byte[] high = new byte[len];
                java.util.Arrays.fill(high, (byte) 0xa2);
                assertEquals(-1, DataSpan.quoteOrBackslash(high, 0));
            }
        }
    }
}
