package dev.switchboard.hub;

import dev.switchboard.hub.boundary.Hub;
import dev.switchboard.hub.control.Connection;
import dev.switchboard.hub.control.Subscriptions;
import dev.switchboard.hub.entity.Frame;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubscriptionsTest {

    private final Hub hub = Hub.standalone(64);

    private Connection open() {
        return hub.open("rtc", null, new RecordingTransport(true));
    }

    @Test
    void exactOneSegmentAndRestWildcardsMatchAsDocumented() {
        Connection exact = open();
        Connection one = open();
        Connection rest = open();
        Connection everything = open();
        hub.subscribe(exact, "updates.a");
        hub.subscribe(one, "updates.*");
        hub.subscribe(rest, "updates.#");
        hub.subscribe(everything, "#");

        assertEquals(4, hub.publish("rtc", "updates.a", Frame.of("1")));
        assertEquals(2, hub.publish("rtc", "updates.a.b", Frame.of("2")), "rest and everything");
        assertEquals(1, hub.publish("rtc", "updates", Frame.of("3")), "'#' needs at least one segment");
        assertEquals(3, hub.publish("rtc", "updates.b", Frame.of("4")));
        assertEquals(1, hub.publish("rtc", "other", Frame.of("5")));
    }

    @Test
    void aConnectionMatchedByTwoPatternsIsDeliveredOnce() {
        RecordingTransport t = new RecordingTransport(true);
        Connection c = hub.open("rtc", null, t);
        hub.subscribe(c, "chat.general");
        hub.subscribe(c, "chat.*");
        hub.subscribe(c, "chat.#");
        assertEquals(1, hub.publish("rtc", "chat.general", Frame.of("m")));
        assertEquals(List.of("m"), t.sent);
    }

    @Test
    void unsubscribeAndCloseRemoveSubscriptionsAndPruneTheTrie() {
        Connection a = open();
        Connection b = open();
        assertEquals(Subscriptions.Outcome.ADDED, hub.subscribe(a, "x.y.z"));
        assertEquals(Subscriptions.Outcome.ALREADY, hub.subscribe(a, "x.y.z"));
        hub.subscribe(b, "x.*.z");
        assertEquals(2, hub.publish("rtc", "x.y.z", Frame.of("1")));
        assertTrue(hub.unsubscribe(a, "x.y.z"));
        assertEquals(1, hub.publish("rtc", "x.y.z", Frame.of("2")));
        hub.closed(b);
        assertEquals(0, hub.publish("rtc", "x.y.z", Frame.of("3")));
        assertEquals(0, hub.holders("rtc", "x.*.z"));
        assertTrue(hub.subscriptionsOf(b).isEmpty());
    }

    @Test
    void dialectsHaveSeparateTopicSpaces() {
        Connection r = open();
        Connection v = hub.open("vault", null, new RecordingTransport(true));
        hub.subscribe(r, "system");
        hub.subscribe(v, "system");
        assertEquals(1, hub.publish("vault", "system", Frame.of("s")));
        assertEquals(1, hub.holders("vault", "system"));
    }

    @Test
    void thePerConnectionLimitHolds() {
        Subscriptions s = new Subscriptions(2);
        Connection c = open();
        assertEquals(Subscriptions.Outcome.ADDED, s.subscribe(c, "a"));
        assertEquals(Subscriptions.Outcome.ADDED, s.subscribe(c, "b"));
        assertEquals(Subscriptions.Outcome.LIMIT, s.subscribe(c, "c"));
        assertEquals(2, s.countOf(c));
    }

    @Test
    void malformedPatternsAreNamed() {
        assertNull(Subscriptions.invalid("updates.*", 256));
        assertNull(Subscriptions.invalid("updates.#", 256));
        assertNotNull(Subscriptions.invalid("", 256));
        assertNotNull(Subscriptions.invalid("a..b", 256));
        assertNotNull(Subscriptions.invalid("a.#.b", 256));
        assertNotNull(Subscriptions.invalid("a.b*", 256));
        assertNotNull(Subscriptions.invalid("x".repeat(300), 256));
    }

    @Test
    void tenThousandConnectionsWithTenPatternsEachMatchOnlyTheirOwn() {
        List<Connection> all = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            Connection c = open();
            all.add(c);
            for (int k = 0; k < 10; k++) {
                hub.subscribe(c, "room" + (i % 100) + ".k" + k + ".*");
            }
        }
        // room7.k3.* is held by the 100 connections with i % 100 == 7
        assertEquals(100, hub.publish("rtc", "room7.k3.msg", Frame.of("m")));
        assertEquals(0, hub.publish("rtc", "room7.k3", Frame.of("m")));
        assertEquals(10_000, all.size());
    }
}
