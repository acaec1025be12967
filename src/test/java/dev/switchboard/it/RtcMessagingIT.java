package dev.switchboard.it;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static dev.switchboard.it.Rtc.T;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The offline queue of direct messages, presence and admin notifications of the rtc dialect, on the wire. */
class RtcMessagingIT {

    private static AppServer server;
    private static Rtc rtc;

    @BeforeAll
    static void setUp() throws Exception {
        server = SharedServer.get();
        rtc = new Rtc(server);
    }

    private static void dm(Rtc.Client from, String target, String id, int n, String metadata) {
        from.send("{\"type\":\"DirectMessage\",\"id\":\"" + id + "\",\"data\":{\"target_user\":\"" + target
                + "\",\"payload\":{\"n\":" + n + "}}" + (metadata == null ? "" : ",\"metadata\":" + metadata) + "}");
    }

    private static void queued(Rtc.Client from, String id) {
        JsonObject e = from.next("Error").getJsonObject("data");
        assertEquals(404, e.getInt("code"), e.toString());
        assertEquals(id, e.getJsonObject("details").getString("message_id"));
        assertTrue(e.getJsonObject("details").getBoolean("queued"));
    }

    /** Every frame until the answer to a Ping sent now: what had been queued for this connection before it. */
    private static List<JsonObject> untilPong(Rtc.Client c) {
        c.send("{\"type\":\"Ping\",\"data\":{\"timestamp\":424242}}");
        List<JsonObject> frames = new ArrayList<>();
        while (true) {
            JsonObject f = c.ws().next(T);
            if ("Pong".equals(f.getString("type")) && f.getJsonObject("data").getInt("timestamp") == 424242) {
                return frames;
            }
            frames.add(f);
        }
    }

    @Test
    void queuedMessagesArriveInOrderExactlyOnceWhenTheUserConnects() throws Exception {
        String target = Rtc.user("later");
        String sender = Rtc.user("early");
        try (Rtc.Client from = rtc.connect(sender)) {
            for (int i = 0; i < 10; i++) {
                dm(from, target, "q" + i, i, null);
                queued(from, "q" + i);
            }
        }
        try (Rtc.Client to = rtc.connect(target)) {
            for (int i = 0; i < 10; i++) {
                JsonObject data = to.next("DirectMessage").getJsonObject("data");
                assertEquals(i, data.getJsonObject("payload").getInt("n"));
                assertEquals(sender, data.getString("from_user"));
                assertEquals("q" + i, data.getJsonObject("metadata").getString("message_id"));
                assertTrue(data.getJsonObject("metadata").getBoolean("queued"));
            }
            assertTrue(untilPong(to).stream().noneMatch(f -> f.getString("type").equals("DirectMessage")));
        }
        // delivered once: a second connection later gets nothing
        try (Rtc.Client again = rtc.connect(target)) {
            assertTrue(untilPong(again).stream().noneMatch(f -> f.getString("type").equals("DirectMessage")));
        }
    }

    @Test
    void twoConnectionsOpeningAtOnceNeverBothGetAMessage() throws Exception {
        String target = Rtc.user("twice");
        int n = 25;
        try (Rtc.Client from = rtc.connect(Rtc.user("sender"))) {
            for (int i = 0; i < n; i++) {
                dm(from, target, "t" + i, i, null);
            }
            for (int i = 0; i < n; i++) {
                JsonObject e = from.next("Error").getJsonObject("data");
                assertEquals(404, e.getInt("code"), e.toString());
            }
        }
        String token = rtc.token(target);
        CompletableFuture<Rtc.Client> a = CompletableFuture.supplyAsync(() -> rtc.connectWith(token));
        CompletableFuture<Rtc.Client> b = CompletableFuture.supplyAsync(() -> rtc.connectWith(token));
        try (Rtc.Client ca = a.get(); Rtc.Client cb = b.get()) {
            List<Integer> got = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            List<Integer> onA = new ArrayList<>();
            List<Integer> onB = new ArrayList<>();
            while (onA.size() + onB.size() < n && System.nanoTime() < deadline) {
                for (var pair : List.of(new Object[] {ca, onA}, new Object[] {cb, onB})) {
                    Rtc.Client c = (Rtc.Client) pair[0];
                    @SuppressWarnings("unchecked")
                    List<Integer> sink = (List<Integer>) pair[1];
                    for (JsonObject f : untilPong(c)) {
                        if (f.getString("type").equals("DirectMessage")) {
                            sink.add(f.getJsonObject("data").getJsonObject("payload").getInt("n"));
                        }
                    }
                }
            }
            got.addAll(onA);
            got.addAll(onB);
            assertEquals(n, got.size(), "every message once: A=" + onA + " B=" + onB);
            assertEquals(n, new HashSet<>(got).size(), "no duplicates: A=" + onA + " B=" + onB);
            assertEquals(onA.stream().sorted().toList(), onA, "in order on A");
            assertEquals(onB.stream().sorted().toList(), onB, "in order on B");
        }
    }

    @Test
    void anExpiredMessageIsNeverDelivered() throws Exception {
        String target = Rtc.user("ttl");
        try (Rtc.Client from = rtc.connect(Rtc.user("ttlsender"))) {
            dm(from, target, "short", 1, "{\"ttl\":1}");
            queued(from, "short");
            dm(from, target, "long", 2, "{\"ttl\":600}");
            queued(from, "long");
        }
        Thread.sleep(2500);
        try (Rtc.Client to = rtc.connect(target)) {
            JsonObject data = to.next("DirectMessage").getJsonObject("data");
            assertEquals("long", data.getJsonObject("metadata").getString("message_id"));
            assertTrue(untilPong(to).stream().noneMatch(f -> f.getString("type").equals("DirectMessage")));
        }
    }

    @Test
    void aFullQueueRefusesWith503() throws Exception {
        String target = Rtc.user("full");
        try (Rtc.Client from = rtc.connect(Rtc.user("filler"))) {
            // the shared server allows 30 waiting messages per user
            for (int i = 0; i < 30; i++) {
                dm(from, target, "f" + i, i, null);
                queued(from, "f" + i);
            }
            dm(from, target, "f30", 30, null);
            JsonObject e = from.next("Error").getJsonObject("data");
            assertEquals(503, e.getInt("code"));
            assertFalse(e.getJsonObject("details").getBoolean("queued"));
        }
        try (Rtc.Client to = rtc.connect(target)) {
            for (int i = 0; i < 30; i++) {
                assertEquals(i, to.next("DirectMessage").getJsonObject("data").getJsonObject("payload").getInt("n"));
            }
        }
    }

    @Test
    void presenceOfEveryoneOnPresenceHashWithAway() throws Exception {
        String user = Rtc.user("pres");
        try (Rtc.Client watcher = rtc.connect(Rtc.user("w"))) {
            RtcProtocolIT.subscribe(watcher, "presence.#");
            try (Rtc.Client first = rtc.connect(user)) {
                assertEquals("online", presenceOf(watcher, user).getString("status"));
                try (Rtc.Client second = rtc.connect(user)) {
                    second.send("{\"type\":\"Presence\",\"data\":{\"status\":\"away\"}}");
                    JsonObject away = presenceOf(watcher, user);
                    assertEquals("away", away.getString("status"), "a second connection is no news; the status change is");
                }
                // one connection left: still no offline
                first.send("{\"type\":\"Presence\",\"data\":{\"status\":\"online\",\"metadata\":{\"device\":\"web\"}}}");
                assertEquals("online", presenceOf(watcher, user).getString("status"));
            }
            JsonObject offline = presenceOf(watcher, user);
            assertEquals("offline", offline.getString("status"));
            assertTrue(offline.containsKey("last_seen"));
        }
    }

    private static JsonObject presenceOf(Rtc.Client watcher, String user) {
        return watcher.ws().next(f -> "Presence".equals(f.getString("type"))
                && user.equals(f.getJsonObject("data").getString("user_id")), T).getJsonObject("data");
    }

    @Test
    void notificationsAreForAdminsOnlyAndReachUsersTopicsOrEveryone() throws Exception {
        String user = Rtc.user("n");
        String body = "{\"title\":\"t\",\"message\":\"m\"}";
        assertEquals(401, Api.call(server, "POST", "/api/notifications", null, body).status());
        assertEquals(403, Api.call(server, "POST", "/api/notifications", rtc.token(user), body).status());
        String admin = Api.adminToken(server);
        Api.Reply bad = Api.call(server, "POST", "/api/notifications", admin, "{\"level\":\"loud\",\"title\":3,\"topic\":\"a.*\"}");
        assertEquals(400, bad.status());
        JsonObject fields = bad.json().getJsonObject("fields");
        assertTrue(fields.containsKey("level") && fields.containsKey("title") && fields.containsKey("message") && fields.containsKey("topic"), fields.toString());
        assertEquals(400, Api.call(server, "POST", "/api/notifications", admin, "[1]").status());

        String topic = "alerts." + user;
        try (Rtc.Client sub = rtc.connect(user); Rtc.Client other = rtc.connect(Rtc.user("o"))) {
            RtcProtocolIT.subscribe(sub, "alerts.#");
            Api.Reply r = Api.call(server, "POST", "/api/notifications", admin, "{\"message\":\"to the topic\",\"topic\":\"" + topic + "\"}");
            assertEquals(202, r.status(), r.body());
            assertEquals(1, r.json().getInt("recipients"));
            JsonObject n = sub.next("Notification").getJsonObject("data");
            assertEquals("to the topic", n.getString("message"));
            assertEquals("info", n.getString("level"));
            assertEquals(0, n.getJsonArray("actions").size());

            r = Api.call(server, "POST", "/api/notifications", admin, "{\"level\":\"warning\",\"message\":\"to all\"}");
            assertEquals(202, r.status());
            assertTrue(r.json().getInt("recipients") >= 2);
            assertEquals("to all", sub.next("Notification").getJsonObject("data").getString("message"));
            assertEquals("warning", other.next("Notification").getJsonObject("data").getString("level"));
            // the topic one did not reach the other connection: the broadcast one is its first notification
            assertTrue(untilPong(other).stream().noneMatch(f -> f.getString("type").equals("Notification")));
        }
        Api.Reply nobody = Api.call(server, "POST", "/api/notifications", admin, "{\"message\":\"x\",\"user\":\"" + Rtc.user("nobody") + "\"}");
        assertEquals(0, nobody.json().getInt("recipients"));
    }
    @Test
    void anIdentityProviderUserNamedLikeALocalUserGetsNoneOfItsQueuedMessages() throws Exception {
        String id = "for-the-local-admin-" + UUID.randomUUID();
        try (Rtc.Client from = rtc.connect(Rtc.user("to-admin"))) {
            dm(from, "admin", id, 1, null);
            queued(from, id);
        }
        String subject = "idp-" + UUID.randomUUID();
        String impostor = Tokens.idp(SharedServer.idpKey(), "kid-1", c -> c.subject(subject)
                .claim("preferred_username", "admin").claim("upn", "admin").claim("groups", List.of()));
        String watcher = Rtc.user("watcher");
        try (Rtc.Client idp = rtc.connectWith(impostor); Rtc.Client w = rtc.connect(watcher)) {
            assertTrue(untilPong(idp).stream().noneMatch(f -> f.getString("type").equals("DirectMessage")),
                    "the IdP's admin is not our admin");
            // inside the server the IdP's user is <issuer>|<subject>: that is who it speaks as, and how it is reached
            dm(idp, watcher, "hi", 2, null);
            assertEquals(SharedServer.IDP_ISSUER + "|" + subject, w.next("DirectMessage").getJsonObject("data").getString("from_user"));
            assertTrue(untilPong(idp).stream().noneMatch(f -> f.getString("type").equals("DirectMessage")), "nor later");
        }
        // still there for the local admin
        try (Rtc.Client admin = rtc.connect("admin")) {
            while (!id.equals(admin.next("DirectMessage").getJsonObject("data").getJsonObject("metadata").getString("message_id"))) {
                // an older message for admin: read on (next fails the test when nothing more comes)
            }
        }
    }
}
