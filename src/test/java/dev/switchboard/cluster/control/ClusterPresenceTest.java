package dev.switchboard.cluster.control;

import dev.switchboard.cluster.entity.Member;
import dev.switchboard.cluster.entity.MemberJoined;
import dev.switchboard.cluster.entity.MemberLeft;
import dev.switchboard.hub.entity.LocalPresenceChanged;
import dev.switchboard.hub.entity.PresenceChanged;

import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.NotificationOptions;
import jakarta.enterprise.util.TypeLiteral;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.annotation.Annotation;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Presence and tallies of two members on one in-memory bus: what each fires for its own clients. */
class ClusterPresenceTest {

    /** The events a member's clients would be told of. */
    static final class Recorded implements Event<PresenceChanged> {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override
        public void fire(PresenceChanged e) {
            seen.add(e.user() + ":" + e.status());
        }

        @Override
        public <U extends PresenceChanged> CompletionStage<U> fireAsync(U e) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <U extends PresenceChanged> CompletionStage<U> fireAsync(U e, NotificationOptions o) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Event<PresenceChanged> select(Annotation... q) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <U extends PresenceChanged> Event<U> select(Class<U> t, Annotation... q) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <U extends PresenceChanged> Event<U> select(TypeLiteral<U> t, Annotation... q) {
            throw new UnsupportedOperationException();
        }
    }

    private final InMemoryEngine.Bus wire = new InMemoryEngine.Bus();
    private final List<ClusterBus> buses = new CopyOnWriteArrayList<>();

    private record Node(ClusterBus bus, ClusterPresence presence, Tallies tallies, Recorded events, Member member) {
        void local(String user, String status, LocalPresenceChanged.Kind kind) {
            presence.onLocal(new LocalPresenceChanged(new PresenceChanged(user, status, Instant.now(), "{}"), kind));
        }
    }

    private Node node(String id) {
        ClusterBus bus = new ClusterBus();
        bus.inboundMax = 1000;
        ClusterPresence presence = new ClusterPresence();
        presence.bus = bus;
        Recorded events = new Recorded();
        presence.changed = events;
        presence.listen();
        Tallies tallies = new Tallies();
        tallies.bus = bus;
        tallies.listen();
        bus.start(id, new InMemoryEngine(wire));
        buses.add(bus);
        return new Node(bus, presence, tallies, events, new Member(id, id, "127.0.0.1", 0, List.of(), "test"));
    }

    /** Both learn of each other, as the membership would tell them. */
    private static void join(Node x, Node y) {
        x.presence.onJoined(new MemberJoined(y.member, false, Instant.now()));
        y.presence.onJoined(new MemberJoined(x.member, false, Instant.now()));
        x.tallies.onJoined(new MemberJoined(y.member, false, Instant.now()));
        y.tallies.onJoined(new MemberJoined(x.member, false, Instant.now()));
    }

    @AfterEach
    void stop() {
        buses.forEach(ClusterBus::stop);
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 5 s: " + what);
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void aUserIsOnlineAtTheFirstConnectionAnywhereAndOfflineAtTheLast() {
        Node a = node("a");
        Node b = node("b");
        join(a, b);
        a.local("ann", "online", LocalPresenceChanged.Kind.OPENED);
        await(() -> b.events.seen.contains("ann:online"), "b sees ann online");
        b.local("ann", "online", LocalPresenceChanged.Kind.OPENED);
        await(() -> a.presence.onlineElsewhere("ann"), "a knows ann is on b too");
        a.local("ann", "offline", LocalPresenceChanged.Kind.CLOSED);
        b.local("ann", "away", LocalPresenceChanged.Kind.SET);
        await(() -> a.events.seen.contains("ann:away"), "a sees the status set on b");
        assertEquals(List.of("ann:online", "ann:away"), a.events.seen, "no offline while b still has ann");
        b.local("ann", "offline", LocalPresenceChanged.Kind.CLOSED);
        await(() -> a.events.seen.contains("ann:offline"), "a sees ann offline");
        // b hears its own offline on the bus's thread too, not necessarily before a does
        await(() -> b.events.seen.contains("ann:offline"), "b sees ann offline");
        assertEquals(List.of("ann:online", "ann:away", "ann:offline"), b.events.seen);
    }

    @Test
    void theUsersOfAMemberThatLeftGoOfflineUnlessConnectedElsewhere() {
        Node a = node("a");
        Node b = node("b");
        join(a, b);
        b.local("bob", "online", LocalPresenceChanged.Kind.OPENED);
        b.local("cid", "online", LocalPresenceChanged.Kind.OPENED);
        a.local("cid", "online", LocalPresenceChanged.Kind.OPENED);
        await(() -> a.events.seen.contains("bob:online") && a.presence.onlineUsers() == 2, "a knows b's users");
        a.presence.onLeft(new MemberLeft(b.member, false, "timeout", Instant.now()));
        assertTrue(a.events.seen.contains("bob:offline"));
        assertTrue(!a.events.seen.contains("cid:offline"), "cid is still connected to a");
    }

    @Test
    void aJoiningMemberLearnsWhoIsAlreadyOnline() {
        Node a = node("a");
        a.local("early", "online", LocalPresenceChanged.Kind.OPENED);
        Node b = node("b");
        join(a, b);
        await(() -> b.events.seen.contains("early:online"), "b learns of a's user from a's snapshot");
    }

    @Test
    void talliesCountEveryOtherMembersSeats() {
        Node a = node("a");
        Node b = node("b");
        join(a, b);
        b.tallies.set("seats", "ann", 2);
        await(() -> a.tallies.elsewhere("seats", "ann") == 2, "a sees b's two seats");
        assertEquals(2, a.tallies.distinctWith("seats", java.util.Set.of("zed")));
        b.tallies.set("seats", "ann", 0);
        await(() -> a.tallies.elsewhere("seats", "ann") == 0, "b's seats are gone");
    }
}
