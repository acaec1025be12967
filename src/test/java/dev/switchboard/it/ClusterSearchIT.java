package dev.switchboard.it;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code service.search.request} across three real instances sharing PostgreSQL and Redis (a prefix of this run's
 * own): this node's answer first, one partial answer per peer as each answers, then the end naming whoever did not
 * answer; a blacklisted instance is left out. The last test stops one instance with {@code kill -STOP} (alive, its
 * sockets open, answering nothing): the others see it degraded then gone, and what they wait for from it (an rtc
 * {@code Ack}, a direct message's {@code delivered_to}, a search) ends at its timeout, undercounting or naming it;
 * after {@code kill -CONT} it rejoins and its clients work again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterSearchIT {

    private static final Duration T = Duration.ofSeconds(20);
    /** Slower beats than ClusterIT's, so that a stopped instance stays a member (degraded) for a few seconds. */
    static final long HEARTBEAT_MS = 1000;
    static final int MISSES = 5;
    static final long WAIT_MS = 1500;

    private Cluster cluster;
    private List<AppServer> servers;
    private AppServer a;
    private AppServer b;
    private AppServer c;
    private ClusterTokens tokens;
    private String admin;
    private String idA;
    private String idB;
    private String idC;
    private final String tag = "xs" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    void startCluster() throws Exception {
        cluster = Cluster.start("search", 3, Map.of(
                "CLUSTER_HEARTBEAT_INTERVAL_MS", String.valueOf(HEARTBEAT_MS),
                "CLUSTER_HEARTBEAT_MISSES", String.valueOf(MISSES),
                "CLUSTER_REPLY_TIMEOUT_MS", String.valueOf(WAIT_MS),
                "SERVICE_SEARCH_PEER_TIMEOUT_MS", String.valueOf(WAIT_MS)));
        servers = cluster.members();
        a = cluster.get(0);
        b = cluster.get(1);
        c = cluster.get(2);
        tokens = cluster.tokens;
        admin = Api.adminToken(a);
        idA = peerId(a);
        idB = peerId(b);
        idC = peerId(c);
        // each instance registers one service: it is that instance's (its host)
        create(a, tag + "-a");
        create(b, tag + "-b");
        create(c, tag + "-c");
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private void create(AppServer s, String name) {
        Api.Reply r = Api.call(s, "POST", "/api/services", admin, "{\"name\":\"" + name
                + "\",\"type\":\"DOCKER\",\"description\":\"cluster search " + tag + "\",\"status\":\"ACTIVE\","
                + "\"config\":{\"image\":\"busybox\",\"env\":{\"API_TOKEN\":\"s3cret-" + tag + "\"}},\"capabilities\":{\"gpu\":true}}");
        assertEquals(201, r.status(), r.body());
    }

    private String peerId(AppServer s) {
        try (WsClient ws = WsClient.connect(s.ws("/api/ws?token=" + admin))) {
            return ws.nextOfType("connected", T).getJsonObject("payload").getString("peer_id");
        }
    }

    private WsClient node(AppServer s) {
        WsClient ws = WsClient.connect(s.ws("/api/ws?token=" + admin));
        ws.nextOfType("connected", T);
        return ws;
    }

    /** One partial answer: the peer its services name, and their names. */
    record Partial(String peerId, List<String> names) {
    }

    /** A whole search: the partial answers in order, the end's error, how long it took. */
    record Answer(List<Partial> partials, String error, long firstMs, long completeMs) {
        List<String> allNames() {
            List<String> all = new ArrayList<>();
            partials.forEach(p -> all.addAll(p.names));
            return all;
        }

        Partial of(String peerId) {
            return partials.stream().filter(p -> peerId.equals(p.peerId)).findFirst().orElse(null);
        }
    }

    private static String request(String query, List<String> peerIds) {
        StringBuilder ids = new StringBuilder();
        for (String id : peerIds) {
            ids.append(ids.isEmpty() ? "" : ",").append('"').append(id).append('"');
        }
        return "{\"type\":\"service.search.request\",\"payload\":{\"query\":\"" + query + "\",\"service_type\":\"\",\"peer_ids\":["
                + ids + "],\"active_only\":true},\"timestamp\":1}";
    }

    /** Reads one search's frames up to its end. */
    private static Answer read(WsClient ws, long sentAt) {
        List<Partial> partials = new ArrayList<>();
        long first = -1;
        while (true) {
            JsonObject p = ws.nextOfType("service.search.response", T).getJsonObject("payload");
            long at = (System.nanoTime() - sentAt) / 1_000_000;
            if (first < 0) {
                first = at;
            }
            JsonArray services = p.getJsonArray("services");
            if (p.getBoolean("complete")) {
                assertEquals(0, services.size(), "the end carries no services: " + p);
                return new Answer(partials, p.getString("error"), first, at);
            }
            assertFalse(p.toString().contains("s3cret"), "no config in a search answer: " + p);
            Set<String> peers = new HashSet<>();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < services.size(); i++) {
                JsonObject s = services.getJsonObject(i);
                peers.add(s.getString("peer_id"));
                names.add(s.getString("name"));
                assertEquals("ACTIVE", s.getString("status"), s.toString());
                assertTrue(s.getJsonObject("capabilities").getBoolean("gpu"), s.toString());
            }
            assertTrue(peers.size() <= 1, "one peer per partial answer: " + p);
            partials.add(new Partial(peers.isEmpty() ? "" : peers.iterator().next(), names));
        }
    }

    private Answer search(WsClient ws, List<String> peerIds) {
        long sent = System.nanoTime();
        ws.send(request(tag, peerIds));
        return read(ws, sent);
    }

    @Test
    @Order(1)
    void aSearchGetsThisNodesAnswerFirstThenOnePartialPerPeerThenTheEnd() {
        try (WsClient onA = node(a); WsClient onB = node(b)) {
            Answer r = search(onA, List.of());
            assertEquals("", r.error(), r.toString());
            assertEquals(3, r.partials().size(), "this node and two peers: " + r);
            assertEquals(new Partial(idA, List.of(tag + "-a")), r.partials().get(0), "this node first: " + r);
            assertEquals(List.of(tag + "-b"), r.of(idB).names(), r.toString());
            assertEquals(List.of(tag + "-c"), r.of(idC).names(), r.toString());
            assertEquals(3, r.allNames().size(), "each service once: " + r);

            // from another instance: the same services, that instance's own first
            Answer fromB = search(onB, List.of());
            assertEquals("", fromB.error(), fromB.toString());
            assertEquals(new Partial(idB, List.of(tag + "-b")), fromB.partials().get(0), fromB.toString());
            assertEquals(Set.of(tag + "-a", tag + "-b", tag + "-c"), Set.copyOf(fromB.allNames()));

            // the figure: 20 searches from a, each to its end
            List<Long> first = new ArrayList<>();
            List<Long> complete = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Answer x = search(onA, List.of());
                assertEquals("", x.error());
                assertEquals(3, x.allNames().size());
                first.add(x.firstMs());
                complete.add(x.completeMs());
            }
            Collections.sort(first);
            Collections.sort(complete);
            System.out.println("cluster.search 3 instances, 20 searches from a: first partial p50 " + first.get(10)
                    + " ms max " + first.get(19) + " ms; complete p50 " + complete.get(10) + " ms max " + complete.get(19) + " ms");
        }
    }

    @Test
    @Order(2)
    void peerIdsChooseWhoIsAskedAndAPeerThatIsNotAnInstanceIsNamed() {
        try (WsClient onA = node(a)) {
            Answer onlyC = search(onA, List.of(idC));
            assertEquals("", onlyC.error(), onlyC.toString());
            assertEquals(List.of(new Partial(idC, List.of(tag + "-c"))), onlyC.partials(), "this node left out: " + onlyC);

            Answer selfAndNobody = search(onA, List.of(idA, idB, "12D3KooWnobody"));
            assertEquals(new Partial(idA, List.of(tag + "-a")), selfAndNobody.partials().get(0), selfAndNobody.toString());
            assertEquals(Set.of(tag + "-a", tag + "-b"), Set.copyOf(selfAndNobody.allNames()), selfAndNobody.toString());
            assertTrue(selfAndNobody.error().contains("12D3KooWnobody (not connected)"), selfAndNobody.error());
            assertFalse(selfAndNobody.error().contains(idB), selfAndNobody.error());
        }
    }

    @Test
    @Order(3)
    void aBlacklistedInstanceIsLeftOutOfSearchAndItsServicesWithIt() {
        try (WsClient onA = node(a)) {
            Api.Reply block = Api.call(a, "POST", "/api/blacklist", admin, "{\"peer_id\":\"" + idC + "\",\"reason\":\"search test\"}");
            assertTrue(block.status() == 201 || block.status() == 200, block.body());
            Answer r = search(onA, List.of());
            assertEquals("", r.error(), "left out, not waited for: " + r);
            assertEquals(Set.of(tag + "-a", tag + "-b"), Set.copyOf(r.allNames()), r.toString());
            assertEquals(null, r.of(idC), r.toString());
            // asked by name, it is still left out (and not named: it was not asked)
            Answer named = search(onA, List.of(idC));
            assertEquals(List.of(), named.partials(), named.toString());
            assertEquals("", named.error(), named.toString());
        } finally {
            Api.call(a, "DELETE", "/api/blacklist/" + idC, admin, null);
        }
        for (AppServer s : servers) {
            Cluster.awaitMembers(s, 3);
        }
        try (WsClient onA = node(a)) {
            // heard again: it answers again (the refused instance sees the others rejoin too)
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            Answer r = search(onA, List.of());
            while (r.of(idC) == null && System.nanoTime() < deadline) {
                AppServer.sleep(200);
                r = search(onA, List.of());
            }
            assertEquals(List.of(tag + "-c"), r.of(idC).names(), r.toString());
        }
    }

    private static Instant at(JsonObject vaultEvent) {
        return OffsetDateTime.parse(vaultEvent.getJsonObject("data").getString("timestamp")).toInstant();
    }

    private static void subscribe(Rtc.Client client, String topic) {
        client.send("{\"type\":\"Subscribe\",\"data\":{\"topics\":[\"" + topic + "\"]}}");
        client.ws().next(ClusterIT.type("Status"), T);
    }

    private static JsonObject broadcast(Rtc.Client publisher, String topic, int n) {
        publisher.send("{\"type\":\"Broadcast\",\"data\":{\"topic\":\"" + topic + "\",\"payload\":{\"n\":" + n + "}}}");
        return publisher.ws().next(ClusterIT.type("Ack"), T).getJsonObject("data");
    }

    private static Set<String> deliveredTo(JsonObject ack) {
        Set<String> to = new HashSet<>();
        ack.getJsonArray("delivered_to").getValuesAs(JsonString.class).forEach(s -> to.add(s.getString()));
        return to;
    }

    private static int payloadN(Rtc.Client client) {
        return client.ws().next(ClusterIT.type("Broadcast"), T).getJsonObject("data").getJsonObject("payload").getInt("n");
    }

    @Test
    @Order(10)
    void aStoppedInstanceIsDegradedThenGoneNothingWaitsForItPastItsTimeoutAndItRejoinsAfterCont() throws Exception {
        String topic = "stall." + UUID.randomUUID().toString().substring(0, 8);
        String stalledUser = Rtc.user("stalled");
        String dmUser = Rtc.user("dm");
        try (var subA = tokens.rtc(a, Rtc.user("sa")); var subB = tokens.rtc(b, Rtc.user("sb"));
             var subC = tokens.rtc(c, stalledUser); var publisher = tokens.rtc(a, Rtc.user("pub"));
             var dmOnB = tokens.rtc(b, dmUser); var dmOnC = tokens.rtc(c, dmUser);
             var watcher = tokens.rtc(a, Rtc.user("watch")); var vault = WsClient.connect(b.ws("/ws"));
             WsClient finder = node(a)) {
            subscribe(watcher, "presence.#");
            for (var s : List.of(subA, subB, subC)) {
                subscribe(s, topic);
            }
            vault.send("{\"type\":\"subscribe\",\"topic\":\"peer_network\"}");
            vault.next(m -> "subscribed".equals(m.getString("type")), T);
            assertEquals(3, broadcast(publisher, topic, 1).getInt("recipients"));
            for (var s : List.of(subA, subB, subC)) {
                assertEquals(1, payloadN(s));
            }

            Instant stoppedAt = Instant.now();
            c.pause();
            try {
                // searches: the stopped peer is waited for at most its timeout and named; 4 at once per connection.
                // Five sent at once: their frames interleave, so they are counted, not told apart
                long sent = System.nanoTime();
                for (int i = 0; i < 5; i++) {
                    finder.send(request(tag, List.of()));
                }
                List<String> errors = new ArrayList<>();
                Map<String, Integer> partialsByPeer = new HashMap<>();
                Set<String> names = new HashSet<>();
                long lastMs = 0;
                while (errors.size() < 5) {
                    JsonObject p = finder.nextOfType("service.search.response", T).getJsonObject("payload");
                    if (p.getBoolean("complete")) {
                        errors.add(p.getString("error"));
                        lastMs = (System.nanoTime() - sent) / 1_000_000;
                        continue;
                    }
                    JsonArray services = p.getJsonArray("services");
                    for (int i = 0; i < services.size(); i++) {
                        partialsByPeer.merge(services.getJsonObject(i).getString("peer_id"), 1, Integer::sum);
                        names.add(services.getJsonObject(i).getString("name"));
                    }
                }
                assertEquals(1, errors.stream().filter(e -> e.startsWith("Too many searches in progress")).count(),
                        "the fifth search in flight is refused at once: " + errors);
                List<String> named = errors.stream().filter(e -> !e.startsWith("Too many")).toList();
                for (String e : named) {
                    assertTrue(e.contains(idC + " ("), "the stopped peer is named: " + e);
                    assertFalse(e.contains(idB), e);
                }
                assertEquals(Map.of(idA, 4, idB, 4), partialsByPeer, "four searches answered by a and b, none by c");
                assertEquals(Set.of(tag + "-a", tag + "-b"), names);
                String timedOut = named.get(0) + " (last end after " + lastMs + " ms)";

                // an Ack waits for it at most cluster.reply-timeout-ms and does not count its subscriber
                long ackSent = System.nanoTime();
                assertEquals(2, broadcast(publisher, topic, 2).getInt("recipients"), "the stopped instance's subscriber is not counted");
                long ackMs = (System.nanoTime() - ackSent) / 1_000_000;
                assertEquals(2, payloadN(subA));
                assertEquals(2, payloadN(subB));

                // a direct message lists only the connections that were reached in time
                long dmSent = System.nanoTime();
                publisher.send("{\"type\":\"DirectMessage\",\"id\":\"dm-stall\",\"data\":{\"target_user\":\"" + dmUser
                        + "\",\"payload\":{\"during\":\"stop\"}}}");
                JsonObject dmAck = publisher.ws().next(ClusterIT.type("Ack"), T).getJsonObject("data");
                long dmMs = (System.nanoTime() - dmSent) / 1_000_000;
                assertEquals(Set.of(dmOnB.connectionId()), deliveredTo(dmAck), dmAck.toString());
                assertEquals("stop", dmOnB.ws().next(ClusterIT.type("DirectMessage"), T).getJsonObject("data")
                        .getJsonObject("payload").getString("during"));

                // the others see it degraded, then gone (timeout), and its users offline
                JsonObject degraded = vault.next(m -> "peer_health_changed".equals(m.getString("type"))
                        && idC.equals(m.getJsonObject("data").getString("id")), Duration.ofSeconds(30));
                assertEquals("degraded", degraded.getJsonObject("data").getString("health"), degraded.toString());
                JsonObject gone = vault.next(m -> "peer_disconnected".equals(m.getString("type"))
                        && idC.equals(m.getJsonObject("data").getString("id")), Duration.ofSeconds(30));
                assertEquals("timeout", gone.getJsonObject("data").getString("reason"), gone.toString());
                watcher.ws().next(ClusterIT.presence(stalledUser, "offline"), Duration.ofSeconds(30));
                Cluster.awaitMembers(a, 2);
                Cluster.awaitMembers(b, 2);
                long degradedMs = Duration.between(stoppedAt, at(degraded)).toMillis();
                long goneMs = Duration.between(stoppedAt, at(gone)).toMillis();

                // gone: not asked any more, nothing is waited for, and its services are answered by the instance asked
                Answer afterGone = search(finder, List.of());
                assertEquals("", afterGone.error(), afterGone.toString());
                assertEquals(new Partial(idA, List.of(tag + "-a", tag + "-c")), afterGone.partials().get(0), afterGone.toString());
                assertEquals(2, afterGone.partials().size(), afterGone.toString());
                assertEquals(2, broadcast(publisher, topic, 3).getInt("recipients"));
                assertEquals(3, payloadN(subA));
                assertEquals(3, payloadN(subB));

                System.out.println("cluster.stall kill -STOP of one instance of three (heartbeat " + HEARTBEAT_MS + " ms x "
                        + MISSES + " misses, waits " + WAIT_MS + " ms): degraded on b after " + degradedMs + " ms, gone after "
                        + goneMs + " ms (bound " + (MISSES + 1) * HEARTBEAT_MS + " ms plus delivery); search end " + timedOut
                        + "; Ack " + ackMs + " ms; DirectMessage Ack " + dmMs + " ms; search after gone complete in "
                        + afterGone.completeMs() + " ms");
            } finally {
                c.resume();
            }

            long resumed = System.nanoTime();
            for (AppServer s : servers) {
                Cluster.awaitMembers(s, 3);
            }
            vault.next(m -> "peer_connected".equals(m.getString("type"))
                    && idC.equals(m.getJsonObject("data").getString("id")), Duration.ofSeconds(30));
            long rejoinMs = (System.nanoTime() - resumed) / 1_000_000;
            // its clients work again: the stopped one's connection is still open, its user online everywhere again
            subC.send("{\"type\":\"Ping\"}");
            subC.ws().next(ClusterIT.type("Pong"), T);
            watcher.ws().next(ClusterIT.presence(stalledUser, "online"), Duration.ofSeconds(30));
            // what was relayed to it while it was stopped (Redis held it) may still reach it: look for the next one
            JsonObject ack = broadcast(publisher, topic, 4);
            assertEquals(3, ack.getInt("recipients"), ack.toString());
            subC.ws().next(m -> "Broadcast".equals(m.getString("type", null))
                    && m.getJsonObject("data").getJsonObject("payload").getInt("n") == 4, T);
            assertEquals(4, payloadN(subA));
            assertEquals(4, payloadN(subB));
            // and from it
            assertEquals(3, broadcast(dmOnC, topic, 5).getInt("recipients"));
            for (var s : List.of(subA, subB, subC)) {
                assertEquals(5, payloadN(s));
            }
            Answer back = search(finder, List.of());
            assertEquals("", back.error(), back.toString());
            assertEquals(List.of(tag + "-c"), back.of(idC).names(), back.toString());
            assertEquals(List.of(tag + "-a"), back.partials().get(0).names(), back.toString());
            System.out.println("cluster.stall kill -CONT: all three members again after " + rejoinMs + " ms");
        }
    }
}
