package dev.switchboard.dialect.rtc;

import dev.switchboard.dialect.DecodedAssert;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.nio.ByteBuffer;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RtcCodecTest {

    private static JsonObject json(String text) {
        try (var r = Json.createReader(new StringReader(text))) {
            return r.readObject();
        }
    }

    @Test
    void decodesTheEnvelope() throws Exception {
        RtcCodec.Inbound m = DecodedAssert.message(RtcCodec.decode("{\"type\":\"Broadcast\",\"data\":{\"topic\":\"a\"},\"id\":\"msg_1\",\"timestamp\":17,\"metadata\":{\"ttl\":5}}"));
        assertEquals("Broadcast", m.type());
        assertEquals("msg_1", m.id());
        assertEquals(5, m.metadata().getInt("ttl"));
        assertEquals("a", ((JsonObject) m.data()).getString("topic"));
        RtcCodec.Inbound bare = DecodedAssert.message(RtcCodec.decode("{\"type\":\"Ping\"}"));
        assertEquals(JsonValue.NULL, bare.data());
        assertNull(bare.id());
        assertNull(bare.metadata());
    }

    /** Found by the fault suite: a DirectMessage's target_user or id holding U+0000 reached PostgreSQL's queue insert. */
    @Test
    void refusesStringsHoldingNulNamingTheField() {
        assertEquals("data.target_user", DecodedAssert.refused(RtcCodec.decode(
                "{\"type\":\"DirectMessage\",\"data\":{\"target_user\":\"a\\u0000\",\"payload\":{}}}")).field());
        assertEquals("id", DecodedAssert.refused(RtcCodec.decode("{\"type\":\"Ping\",\"id\":\"\\u0000\"}")).field());
    }

    @Test
    void refusesWhatIsNotAnEnvelopeNamingTheField() {
        assertNull(DecodedAssert.refused(RtcCodec.decode("{oops")).field());
        assertNull(DecodedAssert.refused(RtcCodec.decode("[]")).field());
        assertEquals("type", DecodedAssert.refused(RtcCodec.decode("{\"type\":1}")).field());
        assertEquals("type", DecodedAssert.refused(RtcCodec.decode("{\"type\":\" \"}")).field());
        assertEquals("id", DecodedAssert.refused(RtcCodec.decode("{\"type\":\"Ping\",\"id\":{}}")).field());
        assertEquals("id", DecodedAssert.refused(
                RtcCodec.decode("{\"type\":\"Ping\",\"id\":\"" + "x".repeat(257) + "\"}")).field());
        assertEquals("timestamp", DecodedAssert.refused(RtcCodec.decode("{\"type\":\"Ping\",\"timestamp\":\"1\"}")).field());
        assertEquals("metadata", DecodedAssert.refused(RtcCodec.decode("{\"type\":\"Ping\",\"metadata\":1}")).field());
    }

    @Test
    void idOfEchoesTheClientsIdEvenFromAnInvalidMessage() {
        assertEquals("x1", RtcCodec.idOf("{\"type\":5,\"id\":\"x1\"}"));
        assertNull(RtcCodec.idOf("{broken"));
        assertNull(RtcCodec.idOf("{\"id\":3}"));
    }

    @Test
    void fieldReaders() throws Exception {
        JsonObject data = json("{\"topics\":[\"a\",\"b\"],\"s\":\"v\",\"n\":1,\"o\":{}}");
        assertEquals(List.of("a", "b"), RtcCodec.strings(data, "topics", 10));
        assertThrows(RtcCodec.Invalid.class, () -> RtcCodec.strings(data, "topics", 1));
        assertThrows(RtcCodec.Invalid.class, () -> RtcCodec.strings(data, "s", 10));
        assertEquals("v", RtcCodec.string(data, "s", 1));
        assertThrows(RtcCodec.Invalid.class, () -> RtcCodec.string(data, "n", 10));
        assertThrows(RtcCodec.Invalid.class, () -> RtcCodec.string(data, "missing", 10));
        assertEquals(json("{}"), RtcCodec.optionalObject(data, "o"));
        assertNull(RtcCodec.optionalObject(data, "missing"));
        assertThrows(RtcCodec.Invalid.class, () -> RtcCodec.optionalObject(data, "s"));
    }

    @Test
    void framesHaveTheSpecsShapes() {
        assertEquals(json("{\"type\":\"Error\",\"data\":{\"code\":404,\"message\":\"m\",\"details\":{\"message_id\":\"i\",\"queued\":true}}}"),
                json(RtcFrames.error(404, "m", RtcFrames.details("i", null).add("queued", true)).text()));
        assertEquals(json("{\"type\":\"Ack\",\"data\":{\"message_id\":\"msg_123456\",\"status\":\"delivered\",\"recipients\":42}}"),
                json(RtcFrames.broadcastAck("msg_123456", 42).text()));
        assertEquals(json("{\"type\":\"Pong\",\"data\":{\"timestamp\":1234567890}}"),
                json(RtcFrames.pong(Json.createValue(1234567890L)).text()));
        assertEquals(json("{\"type\":\"AuthStatus\",\"data\":{\"status\":\"token_expiring\",\"expires_at\":1234567890,\"refresh_required\":true}}"),
                json(RtcFrames.tokenExpiring(1234567890L).text()));
    }

    @Test
    void binaryFrames() throws Exception {
        RtcBinary.Received r = RtcBinary.read(ByteBuffer.wrap(new byte[] {3, 0, 0, 0, 3, 'a', 'b', 'c'}));
        assertEquals("file_transfer", r.type());
        assertEquals(3, r.size());
        assertEquals("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", r.checksum());
        assertEquals("length", assertThrows(RtcCodec.Invalid.class,
                () -> RtcBinary.read(ByteBuffer.wrap(new byte[] {1, 0, 0, 0, 4, 'a'}))).field());
        assertEquals("length", assertThrows(RtcCodec.Invalid.class,
                () -> RtcBinary.read(ByteBuffer.wrap(new byte[] {1, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 'a'}))).field());
        assertEquals("type", assertThrows(RtcCodec.Invalid.class, () -> RtcBinary.read(ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 0}))).field());
        assertEquals("type", assertThrows(RtcCodec.Invalid.class, () -> RtcBinary.read(ByteBuffer.wrap(new byte[] {5, 0, 0, 0, 0}))).field());
        assertEquals("header", assertThrows(RtcCodec.Invalid.class, () -> RtcBinary.read(ByteBuffer.wrap(new byte[] {1, 0}))).field());
    }
}
