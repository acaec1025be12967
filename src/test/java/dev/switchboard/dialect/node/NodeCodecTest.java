package dev.switchboard.dialect.node;

import dev.switchboard.dialect.Decoded;
import dev.switchboard.dialect.DecodedAssert;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.StringReader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeCodecTest {

    private static String code(String text) {
        return DecodedAssert.refused(NodeCodec.decode(text)).code();
    }

    @Test
    void decodesTheEnvelope() {
        NodeCodec.Inbound in = DecodedAssert.message(NodeCodec.decode("{\"type\":\"ping\",\"payload\":null,\"timestamp\":1703520000}"));
        assertEquals("ping", in.type());
        assertEquals(jakarta.json.JsonValue.NULL, in.payload());
    }

    @Test
    void missingPayloadIsNull() {
        NodeCodec.Inbound in = DecodedAssert.message(NodeCodec.decode("{\"type\":\"ping\"}"));
        assertEquals(jakarta.json.JsonValue.NULL, in.payload());
    }

    /** Found by the fault suite: a session id or search query holding U+0000 reached PostgreSQL, which refuses it. */
    @Test
    void refusesStringsHoldingNul() {
        assertEquals(NodeCodec.INVALID_MESSAGE, code("{\"type\":\"file.upload.pause\",\"payload\":{\"session_id\":\"a\\u0000b\"}}"));
        assertEquals(NodeCodec.INVALID_MESSAGE, code("{\"type\":\"service.search.request\",\"payload\":{\"peer_ids\":[\"\\u0000\"]}}"));
        assertEquals(NodeCodec.INVALID_MESSAGE, code("{\"type\":\"ping\",\"payload\":{\"k\\u0000\":1}}"));
        // an escaped backslash followed by u0000 is six ordinary characters
        DecodedAssert.message(NodeCodec.decode("{\"type\":\"ping\",\"payload\":\"\\\\u0000\"}"));
    }

    @Test
    void refusesWhatIsNotTheEnvelope() {
        assertEquals(NodeCodec.INVALID_JSON, code("{"));
        assertEquals(NodeCodec.INVALID_JSON, code(""));
        assertEquals(NodeCodec.INVALID_MESSAGE, code("[]"));
        assertEquals(NodeCodec.INVALID_MESSAGE, code("42"));
        assertEquals(NodeCodec.INVALID_MESSAGE, code("{\"type\":null}"));
        assertEquals(NodeCodec.INVALID_MESSAGE, code("{\"type\":[\"ping\"]}"));
        assertEquals(NodeCodec.INVALID_MESSAGE, code("{\"type\":\"  \"}"));
        assertEquals(NodeCodec.INVALID_MESSAGE, code("{\"type\":\"ping\",\"timestamp\":{}}"));
    }

    @Test
    void encodesTypePayloadAndUnixSeconds() {
        JsonObject o = Json.createReader(new StringReader(NodeFrames.error("X", "boom").text())).readObject();
        assertEquals("error", o.getString("type"));
        assertEquals("X", o.getJsonObject("payload").getString("code"));
        assertEquals("boom", o.getJsonObject("payload").getString("error"));
        long ts = o.getJsonNumber("timestamp").longValue();
        assertTrue(Math.abs(ts - System.currentTimeMillis() / 1000) <= 1);
    }
}
