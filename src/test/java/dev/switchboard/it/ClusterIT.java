package dev.switchboard.it;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three real instances on loopback sharing one PostgreSQL database, one Redis (a key prefix of this run's own) and
 * one signing key: what a client does on one instance reaches the clients of the others. The last test kills one
 * instance with {@code kill -9} and measures how long the others take to see it go.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final Duration T = Duration.ofSeconds(20);

    private Cluster cluster;
    private List<AppServer> servers;
    private AppServer a;
    private AppServer b;
    private AppServer c;
    private ClusterTokens tokens;

    @BeforeAll
    void startCluster() throws Exception {
        cluster = Cluster.start("cluster", 3, Map.of());
        servers = cluster.members();
        a = cluster.get(0);
        b = cluster.get(1);
        c = cluster.get(2);
        tokens = cluster.tokens;
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    Rtc.Client rtc(AppServer s, String user) throws Exception {
        return tokens.rtc(s, user);
    }

    static Predicate<JsonObject> type(String t) {
        return m -> t.equals(m.getString("type", null));
    }

    static Predicate<JsonObject> presence(String user, String status) {
        return m -> "Presence".equals(m.getString("type", null))
                && user.equals(m.getJsonObject("data").getString("user_id"))
                && status.equals(m.getJsonObject("data").getString("status"));
    }

    private static void subscribe(Rtc.Client client, String topic) {
        client.send("{\"type\":\"Subscribe\",\"data\":{\"topics\":[\"" + topic + "\"]}}");
        client.ws().next(type("Status"), T);
    }

    @Test
    @Order(1)
    void aTokenSignedByOneInstanceIsAcceptedByTheOthers() {
        String issued = Api.adminToken(a);
        for (AppServer s : List.of(b, c)) {
            Api.Reply me = Api.call(s, "GET", "/api/users/me", issued, null);
            assertEquals(200, me.status(), me.body());
            assertEquals("admin", me.json().getString("username"));
        }
    }

    @Test
    @Order(1)
    void metricsShowTheMembersAndTheBackplane() {
        for (AppServer s : servers) {
            assertEquals(3.0, metric(s, "switchboard_cluster_members"));
            assertEquals(1.0, metric(s, "switchboard_cluster_backplane_up"));
        }
    }

    static double metric(AppServer s, String name) {
        Api.Reply r = Api.get(s, "/metrics");
        for (String line : r.body().split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1));
            }
        }
        throw new AssertionError(name + " not in " + r.body());
    }

    @Test
    @Order(2)
    void aBroadcastReachesEverySubscriberOnEveryInstanceOnceAndTheAckCountsThemAll() throws Exception {
        String topic = "cluster.news." + UUID.randomUUID().toString().substring(0, 8);
        try (var onA = rtc(a, Rtc.user("sa")); var onB = rtc(b, Rtc.user("sb")); var onC = rtc(c, Rtc.user("sc"));
             var onC2 = rtc(c, Rtc.user("sc2")); var publisher = rtc(a, Rtc.user("pub"))) {
            for (var s : List.of(onA, onB, onC, onC2)) {
                subscribe(s, topic.substring(0, topic.lastIndexOf('.')) + ".*");
            }
            publisher.send("{\"type\":\"Broadcast\",\"id\":\"b-1\",\"data\":{\"topic\":\"" + topic + "\",\"payload\":{\"n\":1}}}");
            JsonObject ack = publisher.ws().next(type("Ack"), T);
            assertEquals(4, ack.getJsonObject("data").getInt("recipients"), ack.toString());
            for (var s : List.of(onA, onB, onC, onC2)) {
                JsonObject got = s.ws().next(type("Broadcast"), T);
                assertEquals(1, got.getJsonObject("data").getJsonObject("payload").getInt("n"));
            }
            // a second broadcast is the next one each gets: the first came once
            publisher.send("{\"type\":\"Broadcast\",\"id\":\"b-2\",\"data\":{\"topic\":\"" + topic + "\",\"payload\":{\"n\":2}}}");
            assertEquals(4, publisher.ws().next(type("Ack"), T).getJsonObject("data").getInt("recipients"));
            for (var s : List.of(onA, onB, onC, onC2)) {
                assertEquals(2, s.ws().next(type("Broadcast"), T).getJsonObject("data").getJsonObject("payload").getInt("n"));
            }
        }
    }

    @Test
    @Order(3)
    void aDirectMessageReachesTheTargetOnEveryInstanceAndTheAckListsEveryConnection() throws Exception {
        String target = Rtc.user("dm");
        try (var sender = rtc(a, Rtc.user("from")); var t1 = rtc(b, target); var t2 = rtc(c, target)) {
            sender.send("{\"type\":\"DirectMessage\",\"id\":\"dm-1\",\"data\":{\"target_user\":\"" + target
                    + "\",\"payload\":{\"hello\":true}}}");
            JsonObject ack = sender.ws().next(type("Ack"), T);
            Set<String> to = new HashSet<>();
            ack.getJsonObject("data").getJsonArray("delivered_to").getValuesAs(jakarta.json.JsonString.class)
                    .forEach(s -> to.add(s.getString()));
            assertEquals(Set.of(t1.connectionId(), t2.connectionId()), to, ack.toString());
            for (var t : List.of(t1, t2)) {
                assertTrue(t.ws().next(type("DirectMessage"), T).getJsonObject("data").getJsonObject("payload").getBoolean("hello"));
            }
        }
    }

    @Test
    @Order(4)
    void aQueuedDirectMessageIsClaimedOnceWhenItsRecipientConnectsToTwoInstancesAtOnce() throws Exception {
        String target = Rtc.user("later");
        try (var sender = rtc(a, Rtc.user("from"))) {
            sender.send("{\"type\":\"DirectMessage\",\"id\":\"q-1\",\"data\":{\"target_user\":\"" + target
                    + "\",\"payload\":{\"queued\":1}}}");
            JsonObject stored = sender.ws().next(type("Error"), T);
            assertTrue(stored.getJsonObject("data").getJsonObject("details").getBoolean("queued"), stored.toString());
        }
        var onB = CompletableFuture.supplyAsync(() -> connectQuietly(b, target));
        var onC = CompletableFuture.supplyAsync(() -> connectQuietly(c, target));
        try (var t1 = onB.join(); var t2 = onC.join()) {
            // each connection claims at its open, in the background: wait until one of them has it
            List<JsonObject> got = new ArrayList<>();
            long deadline = System.nanoTime() + T.toNanos();
            while (queued(got) == 0 && System.nanoTime() < deadline) {
                got.addAll(t1.ws().drain(Duration.ofMillis(100)));
                got.addAll(t2.ws().drain(Duration.ofMillis(100)));
            }
            // then a live marker to both: whatever either got before it counts too
            try (var sender = rtc(a, Rtc.user("from"))) {
                sender.send("{\"type\":\"DirectMessage\",\"id\":\"q-2\",\"data\":{\"target_user\":\"" + target
                        + "\",\"payload\":{\"marker\":true}}}");
                sender.ws().next(type("Ack"), T);
            }
            for (var t : List.of(t1, t2)) {
                while (true) {
                    JsonObject m = t.ws().next(T);
                    if ("DirectMessage".equals(m.getString("type", null))
                            && m.getJsonObject("data").getJsonObject("payload").containsKey("marker")) {
                        break;
                    }
                    got.add(m);
                }
            }
            assertEquals(1, queued(got), "the queued message was claimed by exactly one connection: " + got);
        }
    }

    private static int queued(List<JsonObject> frames) {
        int n = 0;
        for (JsonObject m : frames) {
            if ("DirectMessage".equals(m.getString("type", null))
                    && m.getJsonObject("data").getJsonObject("payload").containsKey("queued")) {
                n++;
            }
        }
        return n;
    }

    private Rtc.Client connectQuietly(AppServer s, String user) {
        try {
            return rtc(s, user);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    @Order(5)
    void presenceIsPerUserAcrossTheCluster() throws Exception {
        String user = Rtc.user("pres");
        try (var watcherA = rtc(a, Rtc.user("watch")); var watcherC = rtc(c, Rtc.user("watch"))) {
            subscribe(watcherA, "presence.#");
            subscribe(watcherC, "presence.#");
            var first = rtc(b, user);
            watcherA.ws().next(presence(user, "online"), T);
            watcherC.ws().next(presence(user, "online"), T);
            var second = rtc(c, user);
            // a round trip on c: its open (and so its announcement to the others) is done before b's close begins
            second.send("{\"type\":\"Ping\"}");
            second.ws().next(type("Pong"), T);
            first.close();
            // still connected on c: the next change either watcher sees is the status set there, not offline
            second.send("{\"type\":\"Presence\",\"data\":{\"status\":\"away\"}}");
            for (var w : List.of(watcherA, watcherC)) {
                JsonObject next = w.ws().next(m -> "Presence".equals(m.getString("type", null))
                        && user.equals(m.getJsonObject("data").getString("user_id")), T);
                assertEquals("away", next.getJsonObject("data").getString("status"), next.toString());
            }
            second.close();
            watcherA.ws().next(presence(user, "offline"), T);
            watcherC.ws().next(presence(user, "offline"), T);
        }
    }

    @Test
    @Order(6)
    void aNotificationReachesTheUsersConnectionsOnEveryInstance() throws Exception {
        String user = Rtc.user("note");
        String admin = Api.adminToken(a);
        try (var onB = rtc(b, user); var onC = rtc(c, user)) {
            Api.Reply sent = Api.call(a, "POST", "/api/notifications", admin,
                    "{\"message\":\"hello cluster\",\"user\":\"" + user + "\"}");
            assertEquals(202, sent.status(), sent.body());
            assertEquals(2, sent.json().getInt("recipients"), sent.body());
            for (var t : List.of(onB, onC)) {
                assertEquals("hello cluster", t.ws().next(type("Notification"), T).getJsonObject("data").getString("message"));
            }
        }
    }

    @Test
    @Order(7)
    void chatMessagesReachEveryInstanceWithUniqueOrderedIds() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 6);
        try (var onA = WsClient.connect(a.ws("/workspace/ws?username=wa" + tag));
             var onB = WsClient.connect(b.ws("/workspace/ws?username=wb" + tag));
             var onC = WsClient.connect(c.ws("/workspace/ws?username=wc" + tag))) {
            for (var w : List.of(onA, onB, onC)) {
                w.next(type("connected"), T);
            }
            int each = 20;
            for (int i = 0; i < each; i++) {
                onA.send("{\"type\":\"message:send\",\"text\":\"a" + i + "\"}");
                onB.send("{\"type\":\"message:send\",\"text\":\"b" + i + "\"}");
            }
            for (var w : List.of(onA, onB, onC)) {
                Set<String> ids = new HashSet<>();
                int fromA = 0;
                int fromB = 0;
                while (ids.size() < 2 * each) {
                    JsonObject m = w.next(type("message:new"), T).getJsonObject("data");
                    assertTrue(ids.add(m.getString("id")), "an id came twice: " + m);
                    String text = m.getString("text");
                    // one order per sender
                    if (text.startsWith("a")) {
                        assertEquals("a" + fromA++, text);
                    } else {
                        assertEquals("b" + fromB++, text);
                    }
                }
            }
        }
        String admin = Api.adminToken(b);
        Api.Reply history = Api.call(c, "GET", "/api/workspace/messages?limit=100", admin, null);
        assertEquals(200, history.status(), history.body());
        List<String> ids = new ArrayList<>();
        for (var v : history.json().getJsonArray("messages")) {
            if (v.asJsonObject().getString("username").endsWith(tag)) {
                ids.add(v.asJsonObject().getString("id"));
            }
        }
        assertEquals(40, ids.size(), "every message stored once: " + ids);
        assertEquals(40, new HashSet<>(ids).size());
    }

    @Test
    @Order(9)
    void theWorkspaceLimitOfConnectionsPerNameHoldsOverTheCluster() {
        String name = "lim" + UUID.randomUUID().toString().substring(0, 6);
        try (var onA = WsClient.connect(a.ws("/workspace/ws?username=" + name));
             var onB = WsClient.connect(b.ws("/workspace/ws?username=" + name));
             var onC = WsClient.connect(c.ws("/workspace/ws?username=" + name))) {
            for (var w : List.of(onA, onB, onC)) {
                w.next(type("connected"), T);
            }
            // each instance's seat count travels before its chat message: once a sees both messages, it knows the seats
            onB.send("{\"type\":\"message:send\",\"text\":\"seat-b\"}");
            onC.send("{\"type\":\"message:send\",\"text\":\"seat-c\"}");
            for (String text : List.of("seat-b", "seat-c")) {
                onA.next(m -> "message:new".equals(m.getString("type", null))
                        && text.equals(m.getJsonObject("data").getString("text")), T);
            }
            try (var fourth = WsClient.connect(a.ws("/workspace/ws?username=" + name))) {
                JsonObject refused = fourth.next(T);
                assertEquals("error", refused.getString("type"), refused.toString());
                assertEquals("TOO_MANY_CONNECTIONS", refused.getJsonObject("data").getString("code"));
            }
        }
    }

    @Test
    @Order(10)
    void theWorkspaceMessageRateOfAUserCountsEveryInstance() {
        String name = "rl" + UUID.randomUUID().toString().substring(0, 6);
        try (var onA = WsClient.connect(a.ws("/workspace/ws?username=" + name));
             var onB = WsClient.connect(b.ws("/workspace/ws?username=" + name))) {
            onA.next(type("connected"), T);
            onB.next(type("connected"), T);
            // b must know of a's seat before a posts, or a would not tell b: a's chat message after b's seat proves it
            onB.send("{\"type\":\"message:send\",\"text\":\"seat\"}");
            onA.next(m -> "message:new".equals(m.getString("type", null)) && "seat".equals(m.getJsonObject("data").getString("text")), T);
            onA.send("{\"type\":\"message:send\",\"text\":\"seat-a\"}");
            onB.next(m -> "message:new".equals(m.getString("type", null)) && "seat-a".equals(m.getJsonObject("data").getString("text")), T);
            // 60 of the bucket's 100 spent on a; the marker's message:new travels after every debit before it
            for (int i = 0; i < 60; i++) {
                onA.send("{\"type\":\"message:send\",\"text\":\"a" + i + "\"}");
            }
            onA.send("{\"type\":\"message:send\",\"text\":\"marker\"}");
            onB.next(m -> "message:new".equals(m.getString("type", null)) && "marker".equals(m.getJsonObject("data").getString("text")), T);
            for (int i = 0; i < 60; i++) {
                onB.send("{\"type\":\"message:send\",\"text\":\"b" + i + "\"}");
            }
            JsonObject limited = onB.next(m -> "error".equals(m.getString("type", null)), T);
            assertEquals("RATE_LIMITED", limited.getJsonObject("data").getString("code"), limited.toString());
        }
    }

    @Test
    @Order(12)
    void workspacePresenceAndTypingReachTheOtherInstancesButNotTheSender() {
        String tag = UUID.randomUUID().toString().substring(0, 6);
        try (var sender = WsClient.connect(a.ws("/workspace/ws?username=pa" + tag));
             var onB = WsClient.connect(b.ws("/workspace/ws?username=pb" + tag));
             var onC = WsClient.connect(c.ws("/workspace/ws?username=pc" + tag))) {
            for (var w : List.of(sender, onB, onC)) {
                w.next(type("connected"), T);
            }
            sender.send("{\"type\":\"presence:update\",\"status\":\"away\"}");
            sender.send("{\"type\":\"typing:indicator\",\"isTyping\":true}");
            for (var w : List.of(onB, onC)) {
                JsonObject p = w.next(m -> "presence:update".equals(m.getString("type", null))
                        && ("pa" + tag).equals(m.getJsonObject("data").getString("username")), T);
                assertEquals("away", p.getJsonObject("data").getString("status"), p.toString());
                JsonObject t = w.next(m -> "typing:indicator".equals(m.getString("type", null))
                        && ("pa" + tag).equals(m.getJsonObject("data").getString("username")), T);
                assertTrue(t.getJsonObject("data").getBoolean("isTyping"), t.toString());
            }
            // the sender's own next frame is its chat message, not its presence or typing coming back
            sender.send("{\"type\":\"message:send\",\"text\":\"after\"}");
            while (true) {
                JsonObject m = sender.next(T);
                assertTrue("message:new".equals(m.getString("type", null)), "nothing else before it: " + m);
                if ("after".equals(m.getJsonObject("data").getString("text"))) {
                    break;
                }
            }
        }
    }

    @Test
    @Order(8)
    void aServiceCreatedOnOneInstanceIsAnnouncedToControlClientsOnTheOthers() {
        String admin = Api.adminToken(a);
        try (var onB = WsClient.connect(b.ws("/control/ws")); var onC = WsClient.connect(c.ws("/control/ws"))) {
            String name = "cluster-svc-" + UUID.randomUUID().toString().substring(0, 6);
            Api.Reply created = Api.call(a, "POST", "/api/services", admin,
                    "{\"name\":\"" + name + "\",\"type\":\"DATA\",\"description\":\"d\",\"status\":\"ACTIVE\"}");
            assertEquals(201, created.status(), created.body());
            for (var w : List.of(onB, onC)) {
                JsonObject e = w.next(m -> "instance:created".equals(m.getString("event", null))
                        && name.equals(m.getJsonObject("data").getString("name", null)), T);
                assertTrue(e.containsKey("data"));
            }
        }
    }

    @Test
    @Order(11)
    void anUploadOnOneInstanceReachesFileOperationsSubscribersOnEveryInstanceOnce() throws Exception {
        String admin = Api.adminToken(a);
        Api.Reply svc = Api.call(a, "POST", "/api/services", admin,
                "{\"name\":\"cluster-files-" + System.nanoTime() + "\",\"type\":\"DATA\",\"description\":\"files\"}");
        assertEquals(201, svc.status(), svc.body());
        long serviceId = svc.json().getJsonNumber("id").longValue();
        byte[] data = "hello cluster vault".getBytes();
        try (var onB = WsClient.connect(b.ws("/ws")); var onC = WsClient.connect(c.ws("/ws"));
             var node = WsClient.connect(a.ws("/api/ws?token=" + admin))) {
            for (var v : List.of(onB, onC)) {
                v.send("{\"type\":\"subscribe\",\"topic\":\"file_operations\"}");
                v.next(m -> "subscribed".equals(m.getString("type")), T);
            }
            node.nextOfType("connected", T);
            Uploader up = new Uploader(node);
            String session = up.start(serviceId, "g" + System.nanoTime(), "docs/cluster.txt", 0, 1, data, 1024);
            up.chunk(session, 0, data, 1024);
            for (var v : List.of(onB, onC)) {
                JsonObject uploaded = v.next(m -> "file_uploaded".equals(m.getString("type")), T);
                assertEquals("services/" + serviceId + "/files/docs/cluster.txt", uploaded.getJsonObject("data").getString("key"));
            }
            // once each: a delete is the next file operation either sees
            Api.Reply deleted = Api.call(a, "DELETE", "/api/services/" + serviceId + "/files/docs/cluster.txt", admin, null);
            assertTrue(deleted.status() == 204 || deleted.status() == 200, deleted.toString());
            for (var v : List.of(onB, onC)) {
                JsonObject next = v.next(m -> "file_operations".equals(m.getString("topic", null)), T);
                assertEquals("file_deleted", next.getString("type"), next.toString());
            }
        }
    }

    /** The peer id an instance's node dialect announces in its {@code connected} frame. */
    private String peerId(AppServer s, String admin) {
        try (WsClient ws = WsClient.connect(s.ws("/api/ws?token=" + admin))) {
            return ws.nextOfType("connected", T).getJsonObject("payload").getString("peer_id");
        }
    }

    private static Set<String> listed(JsonObject peersUpdated) {
        Set<String> ids = new HashSet<>();
        peersUpdated.getJsonObject("payload").getJsonArray("peers").forEach(p -> ids.add(p.asJsonObject().getString("id")));
        return ids;
    }

    @Test
    @Order(13)
    void peersUpdatedListsTheOtherLiveInstancesAndABlacklistedOneIsLeftOut() {
        String admin = Api.adminToken(a);
        String idA = peerId(a, admin);
        String idB = peerId(b, admin);
        String idC = peerId(c, admin);
        try (WsClient ws = WsClient.connect(a.ws("/api/ws?token=" + admin))) {
            JsonObject peers = ws.next(m -> "peers.updated".equals(m.getString("type", null)) && listed(m).containsAll(Set.of(idB, idC)),
                    Duration.ofSeconds(30));
            assertTrue(!listed(peers).contains(idA), "an instance is not its own peer: " + peers);
            JsonObject entry = peers.getJsonObject("payload").getJsonArray("peers").stream().map(v -> v.asJsonObject())
                    .filter(p -> p.getString("id").equals(idB)).findFirst().orElseThrow();
            assertTrue(entry.getJsonArray("addresses").toString().contains(String.valueOf(b.port())), entry.toString());
            assertEquals("instance", entry.getJsonObject("metadata").getString("source"), entry.toString());
            ws.next(m -> "node.status".equals(m.getString("type", null))
                    && m.getJsonObject("payload").getInt("known_peers") == 2, Duration.ofSeconds(15));

            Api.Reply block = Api.call(a, "POST", "/api/blacklist", admin, "{\"peer_id\":\"" + idC + "\",\"reason\":\"cluster test\"}");
            assertTrue(block.status() == 201 || block.status() == 200, block.body());
            JsonObject after = ws.next(m -> "peers.updated".equals(m.getString("type", null)) && !listed(m).contains(idC),
                    Duration.ofSeconds(30));
            assertTrue(listed(after).contains(idB), after.toString());
            // and the blacklisted instance is refused: the others stop hearing it and it leaves their membership
            Cluster.awaitMembers(a, 2);
            Cluster.awaitMembers(b, 2);
            assertEquals(204, Api.call(a, "DELETE", "/api/blacklist/" + idC, admin, null).status());
            // once removed it is heard again and comes back by itself
            Cluster.awaitMembers(a, 3);
            Cluster.awaitMembers(b, 3);
        } finally {
            Api.call(a, "DELETE", "/api/blacklist/" + idC, admin, null);
        }
    }

    @Test
    @Order(20)
    void anInstanceKilledWithKill9LeavesAndItsUsersGoOffline() throws Exception {
        String user = Rtc.user("doomed");
        try (var watcher = rtc(a, Rtc.user("watch")); var control = WsClient.connect(b.ws("/control/ws"));
             var peers = WsClient.connect(b.ws("/ws"))) {
            subscribe(watcher, "presence.#");
            peers.send("{\"type\":\"subscribe\",\"topic\":\"peer_network\"}");
            peers.next(m -> "subscribed".equals(m.getString("type")), T);
            var doomed = rtc(c, user); // left open: the kill ends it
            watcher.ws().next(presence(user, "online"), T);
            long killed = System.nanoTime();
            c.kill();
            watcher.ws().next(presence(user, "offline"), Duration.ofSeconds(30));
            long offlineMs = (System.nanoTime() - killed) / 1_000_000;
            JsonObject gone = control.next(m -> "agent:offline".equals(m.getString("event", null)), Duration.ofSeconds(30));
            long leftMs = (System.nanoTime() - killed) / 1_000_000;
            assertEquals("timeout", gone.getJsonObject("data").getString("reason"), gone.toString());
            String deadId = gone.getJsonObject("data").getString("agentId");
            JsonObject disconnected = peers.next(m -> "peer_disconnected".equals(m.getString("type")), Duration.ofSeconds(30));
            assertEquals(deadId, disconnected.getJsonObject("data").getString("id"), disconnected.toString());
            assertEquals("timeout", disconnected.getJsonObject("data").getString("reason"));
            Cluster.awaitMembers(a, 2);
            Cluster.awaitMembers(b, 2);
            System.out.println("cluster.failover kill-9 -> presence offline on a: " + offlineMs + " ms; agent:offline on b: "
                    + leftMs + " ms (heartbeat " + Cluster.HEARTBEAT_MS + " ms x " + Cluster.MISSES + " misses, bound "
                    + (Cluster.MISSES + 1) * Cluster.HEARTBEAT_MS + " ms plus delivery)");
            doomed.close();
        }
    }
}
