package dev.switchboard.peers.control;

import dev.switchboard.cluster.entity.Member;
import dev.switchboard.common.JsonText;
import dev.switchboard.peers.entity.PeerView;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InstanceTableTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String SELF = "12D3KooWSelf";

    private static Member member(String id, String... capabilities) {
        return new Member(id, "node-" + id, "10.0.0.7", 8081, List.of(capabilities), "1.0");
    }

    private static InstanceTable table() {
        return new InstanceTable(SELF, Duration.ofSeconds(1), 3, 3);
    }

    @Test
    void thisInstanceIsNeverItsOwnPeer() {
        InstanceTable t = table();
        assertTrue(t.joined(member(SELF, "websocket"), T0, T0).isEmpty());
        t.heartbeat(member(SELF), T0.plusSeconds(1), T0.plusSeconds(1));
        assertEquals(0, t.size());
    }

    @Test
    void aJoinedInstanceIsListedWithItsAddressAndMetadata() {
        InstanceTable t = table();
        var change = t.joined(member("A", "websocket", "storage"), T0, T0.plusMillis(3));
        assertTrue(change.isPresent(), "a new instance's capabilities are news");
        assertEquals(List.of(), change.get().previous());
        List<PeerView> peers = t.snapshot(T0.plusMillis(500));
        assertEquals(1, peers.size());
        PeerView a = peers.get(0);
        assertEquals("A", a.id());
        assertEquals(List.of("10.0.0.7:8081"), a.addresses());
        assertEquals(T0.plusMillis(3), a.lastSeen());
        assertFalse(a.isRelay());
        assertFalse(a.canBeRelay());
        assertTrue(a.instance());
        assertEquals(100, a.connectionQuality());
        JsonObject meta = (JsonObject) JsonText.parse(a.metadataJson());
        assertEquals("instance", meta.getString("source"));
        assertEquals("node-A", meta.getString("name"));
        assertEquals("healthy", meta.getString("health"));
    }

    @Test
    void ipv6AddressesAreBracketed() {
        assertEquals("[::1]:8080", InstanceTable.address("::1", 8080));
        assertEquals("[fe80::1]:80", InstanceTable.address("[fe80::1]", 80).replace("[[", "["));
        assertEquals("host.example:9", InstanceTable.address("host.example", 9));
    }

    @Test
    void heartbeatsKeepItAndMissedOnesLowerItsQuality() {
        InstanceTable t = table();
        t.joined(member("A"), T0, T0);
        for (int i = 1; i <= 5; i++) {
            t.heartbeat(member("A"), T0.plusSeconds(i), T0.plusSeconds(i));
        }
        t.heartbeat(member("A"), T0.plusSeconds(8), T0.plusSeconds(8));
        PeerView a = t.snapshot(T0.plusSeconds(8)).get(0);
        assertEquals(Math.round(100.0 * 7 / 9), a.connectionQuality(), "7 beats came, 2 were lost");
        assertEquals(T0.plusSeconds(8), a.lastSeen());
    }

    @Test
    void anUnknownMembersHeartbeatCountsAsItsJoin() {
        InstanceTable t = table();
        assertTrue(t.heartbeat(member("B", "websocket"), T0, T0).isPresent());
        assertTrue(t.contains("B"));
    }

    @Test
    void silentInstancesExpireAfterTheConfiguredBeats() {
        InstanceTable t = table();
        t.joined(member("A"), T0, T0);
        t.joined(member("B"), T0, T0);
        t.heartbeat(member("B"), T0.plusSeconds(3), T0.plusSeconds(3));
        assertEquals(2, t.snapshot(T0.plusSeconds(3)).size(), "A is 2 beats overdue: still there");
        List<PeerView> later = t.snapshot(T0.plusSeconds(4));
        assertEquals(List.of("B"), later.stream().map(PeerView::id).toList(), "A is 3 beats overdue: gone");
    }

    @Test
    void leavingAndTopologyDropInstances() {
        InstanceTable t = table();
        t.joined(member("A"), T0, T0);
        t.joined(member("B"), T0, T0);
        assertTrue(t.left(member("A")));
        assertFalse(t.left(member("A")));
        var changes = t.topology(List.of(member(SELF), member("C", "x")), T0, T0);
        assertEquals(List.of("C"), t.snapshot(T0).stream().map(PeerView::id).toList(), "B not listed, C new, self ignored");
        assertEquals(1, changes.size());
    }

    @Test
    void capabilityChangesAreReportedOnceEach() {
        InstanceTable t = table();
        t.joined(member("A", "websocket"), T0, T0);
        assertTrue(t.heartbeat(member("A", "websocket"), T0.plusSeconds(1), T0.plusSeconds(1)).isEmpty());
        var change = t.heartbeat(member("A", "websocket", "gpu"), T0.plusSeconds(2), T0.plusSeconds(2));
        assertTrue(change.isPresent());
        assertEquals(List.of("websocket", "gpu"), change.get().capabilities());
        assertEquals(List.of("websocket"), change.get().previous());
        assertTrue(t.heartbeat(member("A", "gpu", "websocket"), T0.plusSeconds(3), T0.plusSeconds(3)).isEmpty(),
                "order does not matter");
        assertEquals(List.of("gpu", "websocket"), t.snapshot(T0.plusSeconds(3)).get(0).capabilities());
    }

    @Test
    void theTableIsBounded() {
        InstanceTable t = table();
        t.joined(member("A"), T0, T0);
        t.joined(member("B"), T0, T0);
        t.joined(member("C"), T0, T0);
        assertTrue(t.full("D"));
        assertFalse(t.full("A"));
        t.joined(member("D"), T0, T0);
        assertEquals(3, t.size());
        assertFalse(t.contains("D"));
    }

    @Test
    void healthShowsInMetadata() {
        InstanceTable t = table();
        t.joined(member("A"), T0, T0);
        t.health(member("A"), "degraded");
        JsonObject meta = (JsonObject) JsonText.parse(t.snapshot(T0).get(0).metadataJson());
        assertEquals("degraded", meta.getString("health"));
    }
}
