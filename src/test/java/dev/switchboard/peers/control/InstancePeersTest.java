package dev.switchboard.peers.control;

import dev.switchboard.cluster.entity.Member;
import dev.switchboard.cluster.entity.MemberHealthChanged;
import dev.switchboard.cluster.entity.MemberHeartbeat;
import dev.switchboard.cluster.entity.MemberJoined;
import dev.switchboard.cluster.entity.MemberLeft;
import dev.switchboard.cluster.entity.TopologyChanged;
import dev.switchboard.node.control.NodeIdentity;
import dev.switchboard.peers.entity.PeerCapabilitiesChanged;
import dev.switchboard.peers.entity.PeerView;
import dev.switchboard.peers.entity.PeersChanged;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The membership events as the cluster engine will fire them for remote instances (self = false), synchronously or
 * asynchronously, against the bean that turns them into peers.
 */
class InstancePeersTest {

    private static final String SELF = "12D3KooWSelf";

    private final Set<String> blocked = new HashSet<>();
    private final RecordingEvent<PeerCapabilitiesChanged> capabilities = new RecordingEvent<>();
    private final RecordingEvent<PeersChanged> changed = new RecordingEvent<>();
    private InstancePeers peers;

    @BeforeEach
    void setUp() {
        peers = new InstancePeers();
        peers.identity = new NodeIdentity() {
            @Override
            public String peerId() {
                return SELF;
            }
        };
        peers.blacklist = new Blacklist() {
            @Override
            public boolean isBlocked(String peerId) {
                return blocked.contains(peerId);
            }
        };
        peers.capabilitiesChanged = capabilities;
        peers.changed = changed;
        peers.heartbeatMillis = 30_000;
        peers.expiryBeats = 3;
        peers.max = 10;
        peers.init();
    }

    private static Member member(String id, String... caps) {
        return new Member(id, "node-" + id, "10.1.2.3", 8080, List.of(caps), "dev");
    }

    @Test
    void thisInstancesOwnEventsMakeNoPeer() {
        Member me = member(SELF, "websocket");
        peers.onJoinedAsync(new MemberJoined(me, true, Instant.now()));
        peers.onHeartbeatAsync(new MemberHeartbeat(me, 1, 0, 0, 0, 0, Instant.now()));
        peers.onLeft(new MemberLeft(me, true, "shutdown", Instant.now()));
        assertEquals(List.of(), peers.live());
        assertTrue(capabilities.fired.isEmpty());
        assertTrue(changed.fired.isEmpty());
    }

    @Test
    void aRemoteMemberJoinsBeatsAndLeaves() {
        Member b = member("B", "websocket", "storage");
        peers.onJoinedAsync(new MemberJoined(b, false, Instant.now()));
        List<PeerView> live = peers.live();
        assertEquals(1, live.size());
        assertEquals("B", live.get(0).id());
        assertEquals(List.of("10.1.2.3:8080"), live.get(0).addresses());
        assertTrue(live.get(0).connectionQuality() > 90, "just joined, on time");
        assertEquals(1, changed.fired.size(), "a new peer publishes the list soon");
        assertEquals(List.of("websocket", "storage"), capabilities.fired.get(0).capabilities());
        assertTrue(capabilities.fired.get(0).instance());

        peers.onHeartbeat(new MemberHeartbeat(b, 30, 5, 0.1, 1, 2, Instant.now()));
        assertEquals(1, changed.fired.size(), "a heartbeat of a known peer changes nothing to publish at once");
        assertEquals(1, capabilities.fired.size());

        peers.onHeartbeatAsync(new MemberHeartbeat(member("B", "websocket", "storage", "gpu"), 60, 5, 0.1, 1, 2, Instant.now().plusMillis(1)));
        assertEquals(2, capabilities.fired.size());
        assertEquals(List.of("websocket", "storage"), capabilities.fired.get(1).previous());

        peers.onHealthAsync(new MemberHealthChanged(b, "degraded", "healthy", Instant.now()));
        assertTrue(peers.live().get(0).metadataJson().contains("\"health\":\"degraded\""));

        peers.onLeftAsync(new MemberLeft(b, false, "timeout", Instant.now()));
        assertEquals(List.of(), peers.live());
        assertEquals(2, changed.fired.size());
        assertFalse(peers.isLive("B"));
    }

    @Test
    void aBlacklistedInstancesCapabilitiesAreNotAnnounced() {
        blocked.add("C");
        peers.onJoined(new MemberJoined(member("C", "websocket"), false, Instant.now()));
        assertTrue(capabilities.fired.isEmpty());
        assertTrue(peers.isLive("C"), "held, so that lifting the entry lists it again; the directory leaves it out meanwhile");
    }

    @Test
    void aTopologyReplacesTheMembers() {
        peers.onJoined(new MemberJoined(member("A"), false, Instant.now()));
        peers.onJoined(new MemberJoined(member("B"), false, Instant.now()));
        changed.fired.clear();
        peers.onTopologyAsync(new TopologyChanged(List.of(member(SELF), member("B"), member("D")), Instant.now()));
        assertEquals(List.of("B", "D"), peers.live().stream().map(PeerView::id).toList());
        assertEquals(1, changed.fired.size());
    }
}
