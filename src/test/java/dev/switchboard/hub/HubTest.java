package dev.switchboard.hub;

import dev.switchboard.hub.boundary.Hub;
import dev.switchboard.hub.control.Connection;
import dev.switchboard.hub.entity.Clearance;
import dev.switchboard.hub.entity.Disconnect;
import dev.switchboard.hub.entity.Frame;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HubTest {

    @Test
    void broadcastHandsTheSameEncodedTextToEveryConnectionOfTheDialect() {
        Hub hub = Hub.standalone(16);
        List<RecordingTransport> node = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RecordingTransport t = new RecordingTransport(true);
            node.add(t);
            hub.open("node", "u" + i, t);
        }
        RecordingTransport other = new RecordingTransport(true);
        hub.open("vault", null, other);
        Frame frame = Frame.of("{\"type\":\"node.status\"}");
        assertEquals(3, hub.broadcast("node", frame));
        for (RecordingTransport t : node) {
            assertSame(frame.text(), t.sent.get(0), "the very same String instance: encoded once");
        }
        assertTrue(other.sent.isEmpty());
        assertEquals(3, hub.counters().framesOut.sum());
        assertEquals(3L * frame.bytes(), hub.counters().bytesOut.sum());
    }

    @Test
    void eachConnectionCountsItsOwnFramesInAndOut() {
        Hub hub = Hub.standalone(16);
        Connection a = hub.open("node", "a", new RecordingTransport(true));
        Connection b = hub.open("node", "b", new RecordingTransport(true));
        hub.broadcast("node", Frame.of("{\"type\":\"x\"}"));
        hub.send(a, Frame.of("{\"type\":\"y\"}"));
        hub.received(b, 10);
        hub.received(b, 20);
        hub.pong(b);
        assertEquals(2, a.framesOut());
        assertEquals(1, b.framesOut());
        assertEquals(0, a.framesIn());
        assertEquals(2, b.framesIn(), "messages count, pongs do not");
        assertEquals(3, hub.counters().framesOut.sum());
    }

    @Test
    void aBroadcastByClearanceMakesEachVariantOnceAndOnlyForClearancesPresent() {
        Hub hub = Hub.standalone(16);
        RecordingTransport writer1 = new RecordingTransport(true);
        RecordingTransport writer2 = new RecordingTransport(true);
        RecordingTransport reader = new RecordingTransport(true);
        RecordingTransport anonymous = new RecordingTransport(true);
        hub.open("control", "w1", Clearance.PRIVILEGED, writer1);
        hub.open("control", "w2", Clearance.PRIVILEGED, writer2);
        hub.open("control", "r", reader);
        hub.open("control", null, anonymous);
        List<Clearance> asked = new ArrayList<>();
        int accepted = hub.broadcast("control", c -> {
            asked.add(c);
            return c == Clearance.ANONYMOUS ? List.of() : List.of(Frame.of(c.name()), Frame.of("second"));
        });
        assertEquals(4, accepted);
        assertEquals(3, asked.size(), "one call per clearance present: " + asked);
        assertEquals(List.of("PRIVILEGED", "second"), writer1.sent);
        assertSame(writer1.sent.get(0), writer2.sent.get(0), "the same encoded frame for both writers");
        assertEquals(List.of("AUTHENTICATED", "second"), reader.sent);
        assertTrue(anonymous.sent.isEmpty());
        hub.broadcast("node", c -> {
            throw new AssertionError("no connection, no encode");
        });
    }

    @Test
    void aLaterAuthenticationRaisesAConnectionsClearance() {
        Hub hub = Hub.standalone(16);
        RecordingTransport t = new RecordingTransport(true);
        Connection c = hub.open("vault", null, t);
        assertEquals(Clearance.ANONYMOUS, c.clearance());
        c.clearance(Clearance.AUTHENTICATED);
        hub.broadcast("vault", level -> List.of(Frame.of(level.name())));
        assertEquals(List.of("AUTHENTICATED"), t.sent);
    }

    @Test
    void aMessageOverTheTransportsLimitCloses1009() {
        Hub hub = Hub.standalone(4);
        RecordingTransport t = new RecordingTransport(true);
        t.maxMessageBytes = 100;
        Connection c = hub.open("node", "u", t);
        hub.received(c, 100);
        assertTrue(t.closes.isEmpty(), "at the limit");
        hub.received(c, 101);
        assertEquals(1, t.closes.size());
        assertEquals(Disconnect.TOO_BIG, t.closes.get(0).code());
        RecordingTransport unlimited = new RecordingTransport(true);
        hub.received(hub.open("node", "v", unlimited), Integer.MAX_VALUE);
        assertTrue(unlimited.closes.isEmpty(), "0 = no limit of its own");
    }

    @Test
    void aClientThatDoesNotReadIsClosedAndTheOthersKeepReceiving() {
        Hub hub = Hub.standalone(4);
        RecordingTransport stuck = new RecordingTransport(false);
        RecordingTransport fine = new RecordingTransport(true);
        hub.open("node", "slow", stuck);
        hub.open("node", "fast", fine);
        for (int i = 0; i < 10; i++) {
            hub.broadcast("node", Frame.of("m" + i));
        }
        assertEquals(10, fine.sent.size());
        assertEquals(List.of(Disconnect.slowConsumer()), stuck.closes);
        assertEquals(1, hub.counters().slowConsumerDrops.sum());
        assertEquals(1, hub.connectionCount("node"), "the slow one is gone from the registry");
    }

    @Test
    void keepAlivePingsQuietConnectionsAndClosesSilentOnes() throws Exception {
        Hub hub = Hub.standalone(4);
        RecordingTransport quiet = new RecordingTransport(true);
        RecordingTransport talking = new RecordingTransport(true);
        hub.open("node", "a", quiet);
        Connection alive = hub.open("node", "b", talking);
        Thread.sleep(30);
        hub.keepAlive(Duration.ofMillis(10), Duration.ofSeconds(10));
        assertEquals(1, quiet.pings);
        Thread.sleep(30);
        hub.pong(alive);
        hub.keepAlive(Duration.ofSeconds(10), Duration.ofMillis(20));
        assertEquals(List.of(Disconnect.pongTimeout()), quiet.closes);
        assertTrue(talking.closes.isEmpty());
    }

    @Test
    void frameCountsUtf8BytesOnce() {
        assertEquals(3, Frame.of("abc").bytes());
        assertEquals(2, Frame.of("é").bytes());
        assertEquals(3, Frame.of("€").bytes());
        assertEquals(4, Frame.of("😀").bytes());
    }

    @Test
    void aUsersRateLimitIsSharedByItsConnectionsAndDroppedWithTheLastOne() {
        Hub hub = Hub.standalone(16);
        var first = hub.userRateLimit("workspace", "ann", 1, 2);
        var second = hub.userRateLimit("workspace", "ann", 1, 2);
        assertSame(first, second);
        assertTrue(hub.userRateLimit("rtc", "ann", 1, 2) != first, "dialects do not share");
        hub.releaseUserRateLimit("workspace", "ann");
        assertSame(first, hub.userRateLimit("workspace", "ann", 1, 2), "still held by one connection");
        hub.releaseUserRateLimit("workspace", "ann");
        hub.releaseUserRateLimit("workspace", "ann");
        assertTrue(hub.userRateLimit("workspace", "ann", 1, 2) != first, "a new bucket once nobody held it");
    }

    @Test
    void aConnectionQuietPastItsIdleLimitIsClosedWhileAPongDoesNotCount() throws InterruptedException {
        Hub hub = Hub.standalone(16);
        RecordingTransport quiet = new RecordingTransport(true);
        RecordingTransport busy = new RecordingTransport(true);
        Connection q = hub.open("workspace", null, quiet);
        Connection b = hub.open("workspace", null, busy);
        q.closeWhenIdleFor(Duration.ofMillis(50));
        b.closeWhenIdleFor(Duration.ofMillis(50));
        Thread.sleep(80);
        hub.pong(q);
        hub.received(b, 10);
        hub.keepAlive(Duration.ofHours(1), Duration.ofHours(1));
        assertEquals(List.of(Disconnect.idle()), quiet.closes);
        assertTrue(busy.closes.isEmpty());
        assertEquals(1, hub.counters().idleTimeouts.sum());
    }

    @Test
    void presenceChangesOnTheFirstOpenTheLastCloseAndAStatusAndNotOtherwise() {
        List<dev.switchboard.hub.entity.PresenceChanged> changes = new ArrayList<>();
        var presence = new dev.switchboard.hub.control.Presence(c -> changes.add(c.change()));
        presence.opened("ann", "c1");
        presence.opened("ann", "c2");
        assertTrue(presence.set("ann", "away", "{\"note\":\"lunch\"}"));
        presence.closed("ann", "c1");
        presence.closed("ann", "c1");
        presence.closed("ann", "c2");
        assertEquals(List.of("online", "away", "offline"), changes.stream().map(c -> c.status()).toList());
        assertEquals("{\"note\":\"lunch\"}", changes.get(2).metadataJson(), "offline keeps the last metadata");
        assertTrue(!presence.set("bob", "away", "{}"), "nobody to set a status for");
    }

    @Test
    void whatHangsOnAConnectionRunsOnceWhenTheHubForgetsItHoweverItCloses() {
        Hub hub = Hub.standalone(1);
        List<String> ran = new ArrayList<>();
        Connection byClient = hub.open("node", "a", new RecordingTransport(true));
        byClient.whenGone(() -> ran.add("client"));
        hub.closed(byClient);
        hub.closed(byClient);
        Connection slow = hub.open("node", "b", new RecordingTransport(false));
        slow.whenGone(() -> ran.add("slow"));
        hub.send(slow, Frame.of("1"));
        hub.send(slow, Frame.of("2"));
        hub.send(slow, Frame.of("3"));
        Connection finished = hub.open("node", "c", new RecordingTransport(true));
        finished.whenGone(() -> {
            throw new IllegalStateException("a failing task");
        });
        finished.whenGone(() -> ran.add("finished"));
        hub.finish(finished, Frame.of("bye"), new Disconnect(Disconnect.NORMAL, "bye"));
        finished.whenGone(() -> ran.add("late"));
        assertEquals(List.of("client", "slow", "finished", "late"), ran,
                "once each; a task added after the end runs at once; a failing task does not stop the next");
    }
}
