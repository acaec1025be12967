package dev.switchboard.dialect.vault;

import dev.switchboard.dialect.Decoded;
import dev.switchboard.dialect.DecodedAssert;

import dev.switchboard.cluster.entity.Member;
import dev.switchboard.cluster.entity.MemberLeft;
import dev.switchboard.ops.entity.ThresholdCrossed;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class VaultCodecTest {

    private static JsonObject json(String text) {
        try (var r = Json.createReader(new StringReader(text))) {
            return r.readObject();
        }
    }

    @Test
    void readsTheSpecsClientMessages() {
        VaultCodec.Inbound sub = DecodedAssert.message(VaultCodec.decode("{\"type\": \"subscribe\", \"topic\": \"file_operations\"}"));
        assertEquals("file_operations", sub.topic());
        VaultCodec.Inbound auth = DecodedAssert.message(VaultCodec.decode("{\"type\":\"auth\",\"data\":{\"token\":\" abc \"}}"));
        assertEquals("abc", auth.token());
    }

    @Test
    void namesWhatIsWrong() {
        Decoded.Refused<?> m = DecodedAssert.refused(
                VaultCodec.decode("{\"type\":\"subscribe\",\"topic\":\"" + "t".repeat(500) + "\"}"));
        assertEquals(VaultCodec.INVALID_MESSAGE, m.code());
        assertFalse(m.text().contains("t".repeat(100)), "an unknown topic is echoed truncated");
        assertEquals(VaultCodec.AUTH_FAILED, DecodedAssert.refused(VaultCodec.decode("{\"type\":\"auth\",\"token\":\"  \"}")).code());
    }

    @Test
    void thePushEnvelopeIsTheSpecsWithoutAClientId() {
        JsonObject alert = json(VaultFrames.alert(new ThresholdCrossed(ThresholdCrossed.Kind.PERFORMANCE, "warning",
                "memory_usage", 85.5, 80.0, "High memory usage", Instant.parse("2024-01-01T00:00:00Z"))).text());
        assertEquals("performance_alert", alert.getString("type"));
        assertEquals("alerts", alert.getString("topic"));
        assertFalse(alert.containsKey("clientId"));
        Instant.parse(alert.getString("timestamp"));
        JsonObject d = alert.getJsonObject("data");
        assertEquals("warning", d.getString("level"));
        assertEquals(85.5, d.getJsonNumber("value").doubleValue());
        assertEquals(80.0, d.getJsonNumber("threshold").doubleValue());
        assertEquals("2024-01-01T00:00:00.000Z", d.getString("timestamp"));
    }

    @Test
    void peerEventsCarryTheSpecsFields() {
        Member m = new Member("peer_id", "n1", "192.168.1.100", 8080, List.of("storage", "compute"), "1");
        Instant at = Instant.parse("2024-01-01T00:00:00Z");
        JsonObject connected = json(VaultFrames.peerConnected(m, at).text());
        assertEquals("peer_connected", connected.getString("type"));
        assertEquals("peer_network", connected.getString("topic"));
        JsonObject d = connected.getJsonObject("data");
        assertEquals("peer_id", d.getString("id"));
        assertEquals("192.168.1.100", d.getString("address"));
        assertEquals(8080, d.getInt("port"));
        assertEquals(List.of("storage", "compute"), d.getJsonArray("capabilities").getValuesAs(jakarta.json.JsonString.class)
                .stream().map(jakarta.json.JsonString::getString).toList());
        JsonObject gone = json(VaultFrames.peerDisconnected(new MemberLeft(m, false, "timeout", at)).text()).getJsonObject("data");
        assertEquals("peer_id", gone.getString("id"));
        assertEquals("timeout", gone.getString("reason"));
    }
}
