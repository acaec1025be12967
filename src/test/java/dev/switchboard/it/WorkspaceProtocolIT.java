package dev.switchboard.it;


import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * spec/workspace.md on the wire: every example message, the history, name reservation, and bad input for every
 * client message. The shared server runs with {@code WORKSPACE_RATE_LIMIT_PER_SECOND=5}, burst 30, text at most
 * 100 characters, frames at most 64 KiB.
 */
class WorkspaceProtocolIT {

    private static final Duration T = Duration.ofSeconds(10);
    private static final String ISO_MILLIS = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";
    private static AppServer server;
    private static String adminToken;

    @BeforeAll
    static void setUp() {
        server = SharedServer.get();
        adminToken = Api.adminToken(server);
    }

    /** A fresh name per test, so tests never collide on the per-user connection limit or reservations. */
    private static String name(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static WsClient raw(String query) {
        return WsClient.connect(server.ws("/workspace/ws" + query));
    }

    private static WsClient join(String username) {
        WsClient c = raw("?username=" + URLEncoder.encode(username, StandardCharsets.UTF_8));
        JsonObject hello = c.next(T);
        assertEquals("connected", hello.getString("type"), hello.toString());
        return c;
    }

    private static void assertError(WsClient c, String code) {
        JsonObject e = c.next(T);
        assertEquals("error", e.getString("type"), e.toString());
        assertEquals(code, e.getJsonObject("data").getString("code"), e.toString());
        assertFalse(e.getJsonObject("data").getString("message").isBlank());
    }

    /** An error frame, then close 1008: how a refused connection ends. */
    private static void assertRefused(String query, String code) {
        try (WsClient c = raw(query)) {
            assertError(c, code);
            assertEquals(1008, c.awaitClose(T).code());
        }
    }

    @Test
    void connectedCarriesTheSpecsFields() {
        String me = name("john_doe");
        try (WsClient c = raw("?username=" + me)) {
            JsonObject m = c.next(T);
            assertEquals("connected", m.getString("type"));
            assertTrue(m.getString("userId").matches("ws_user_\\d{13}_\\d+"), m.toString());
            assertEquals(me, m.getString("username"));
            assertTrue(m.getString("timestamp").matches(ISO_MILLIS), m.toString());
            assertTrue(Math.abs(Instant.parse(m.getString("timestamp")).toEpochMilli() - System.currentTimeMillis()) < 60_000);
            assertTrue(m.getInt("connectedUsers") >= 1);
        }
    }

    @Test
    void messageSendReachesEveryUserIncludingTheSender() {
        String alice = name("alice");
        String bob = name("bob");
        try (WsClient a = join(alice); WsClient b = join(bob)) {
            String userId = userIdOf(a, b, alice);
            a.send("{\"type\":\"message:send\",\"text\":\"Hello everyone!\"}");
            JsonObject atA = a.nextOfType("message:new", T);
            JsonObject atB = b.nextOfType("message:new", T);
            assertEquals(atA, atB, "the same frame for everyone");
            JsonObject d = atA.getJsonObject("data");
            assertTrue(d.getString("id").matches("msg_\\d{13}_\\d+"), d.toString());
            assertEquals(userId, d.getString("userId"));
            assertEquals(alice, d.getString("username"));
            assertEquals("Hello everyone!", d.getString("text"));
            assertTrue(d.getString("createdAt").matches(ISO_MILLIS), d.toString());
        }
        if (AppServer.kind().equals("payara")) {
            // Payara's fast paths (transport/tyrus/); the other servers use the standard API
            String log = server.log();
            assertTrue(log.contains("grizzly.direct-writes active"), "broadcast frames went straight to Grizzly's write queue (GrizzlyWire)");
            assertFalse(log.contains("direct-writes unavailable"), "GrizzlyWire reached Grizzly's connection");
            assertFalse(log.contains("raw-frames unavailable"), "TyrusWire reached Tyrus's writer");
            // what an idle connection holds (the benchmark's heap scenario): the handshake's leftovers are let go of
            assertTrue(log.contains("tyrus.release-handshake active"), "HandshakeRelease emptied Grizzly's header fields");
            assertFalse(log.contains("release-handshake unavailable"), "HandshakeRelease reached Tyrus's and Grizzly's fields");
            assertFalse(log.contains("tyrus.idle-timer.future-kept"), "TyrusIdleTimer dropped Tyrus's first idle-timer task");
            assertTrue(log.contains("grizzly.drop-byte-probes active removed=com.sun.enterprise.web.VirtualServer$"),
                    "ByteProbes took Payara's byte-counting probe off the upgraded connection");
        }
        if (AppServer.kind().equals("wildfly")) {
            // WildFly's fast path (transport/undertow/): one UTF-8 buffer per broadcast for every connection's channel
            assertTrue(server.log().contains("undertow.shared-frames active"), "frames went to Undertow's channels (UndertowWire)");
        }
    }

    /** Alice's userId as others see it: from her presence frame at Bob. */
    private static String userIdOf(WsClient a, WsClient b, String alice) {
        a.send("{\"type\":\"presence:update\",\"status\":\"online\"}");
        JsonObject p = b.nextOfType("presence:update", T).getJsonObject("data");
        assertEquals(alice, p.getString("username"));
        return p.getString("userId");
    }

    @Test
    void presenceGoesToEveryoneElseForEachOfTheFourStatuses() {
        String alice = name("alice");
        try (WsClient a = join(alice); WsClient b = join(name("bob")); WsClient c = join(name("carl"))) {
            for (String status : List.of("online", "away", "busy", "offline")) {
                a.send("{\"type\":\"presence:update\",\"status\":\"" + status + "\"}");
                for (WsClient other : List.of(b, c)) {
                    JsonObject p = other.nextOfType("presence:update", T).getJsonObject("data");
                    assertEquals(alice, p.getString("username"));
                    assertEquals(status, p.getString("status"));
                    assertTrue(p.getString("userId").startsWith("ws_user_"));
                }
            }
            // not to the sender: had it been queued, it would come before the sender's own message:new
            a.send("{\"type\":\"message:send\",\"text\":\"after presence\"}");
            assertEquals("message:new", a.next(T).getString("type"));
        }
    }

    @Test
    void typingGoesToEveryoneElse() {
        String alice = name("alice");
        try (WsClient a = join(alice); WsClient b = join(name("bob"))) {
            a.send("{\"type\":\"typing:indicator\",\"isTyping\":true}");
            JsonObject t = b.nextOfType("typing:indicator", T).getJsonObject("data");
            assertEquals(alice, t.getString("username"));
            assertTrue(t.getBoolean("isTyping"));
            assertTrue(t.getString("userId").startsWith("ws_user_"));
            a.send("{\"type\":\"typing:indicator\",\"isTyping\":false}");
            assertFalse(b.nextOfType("typing:indicator", T).getJsonObject("data").getBoolean("isTyping"));
            a.send("{\"type\":\"message:send\",\"text\":\"after typing\"}");
            assertEquals("message:new", a.next(T).getString("type"));
        }
    }

    @Test
    void badEnvelopesGetErrorFramesAndTheConnectionLives() {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("{not json", "INVALID_JSON");
        cases.put("", "INVALID_JSON");
        cases.put("[1,2,3]", "INVALID_MESSAGE");
        cases.put("\"message:send\"", "INVALID_MESSAGE");
        cases.put("{}", "INVALID_MESSAGE");
        cases.put("{\"type\":42,\"text\":\"x\"}", "INVALID_MESSAGE");
        cases.put("{\"type\":null}", "INVALID_MESSAGE");
        cases.put("{\"type\":\"message:delete\"}", "UNKNOWN_TYPE");
        cases.put("{\"type\":\"MESSAGE:SEND\",\"text\":\"x\"}", "UNKNOWN_TYPE");
        try (WsClient a = join(name("eve"))) {
            for (var e : cases.entrySet()) {
                a.send(e.getKey());
                assertError(a, e.getValue());
            }
            a.sendBinary(new byte[] {1, 2, 3});
            assertError(a, "INVALID_MESSAGE");
            assertAlive(a);
        }
    }

    @Test
    void badMessageSendIsRefusedAndNeverBroadcast() {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("{\"type\":\"message:send\"}", "INVALID_MESSAGE");
        cases.put("{\"type\":\"message:send\",\"text\":null}", "INVALID_MESSAGE");
        cases.put("{\"type\":\"message:send\",\"text\":42}", "INVALID_MESSAGE");
        cases.put("{\"type\":\"message:send\",\"text\":[\"a\"]}", "INVALID_MESSAGE");
        cases.put("{\"type\":\"message:send\",\"text\":\"\"}", "INVALID_MESSAGE");
        cases.put("{\"type\":\"message:send\",\"text\":\"  \\n \"}", "INVALID_MESSAGE");
        cases.put("{\"type\":\"message:send\",\"text\":\"\\u0000\\u0001\"}", "INVALID_MESSAGE");
        cases.put("{\"type\":\"message:send\",\"text\":\"" + "x".repeat(101) + "\"}", "MESSAGE_TOO_LONG");
        try (WsClient a = join(name("eve")); WsClient watcher = join(name("watcher"))) {
            for (var e : cases.entrySet()) {
                a.send(e.getKey());
                assertError(a, e.getValue());
            }
            // exactly 100 characters (one outside the BMP counts once) is fine; NUL is dropped, not stored
            String hundred = "\uD83D\uDE00" + "y".repeat(99);
            a.send("{\"type\":\"message:send\",\"text\":\"" + hundred + "\"}");
            a.send("{\"type\":\"message:send\",\"text\":\"nul\\u0000gone\"}");
            JsonObject first = watcher.next(T);
            assertEquals("message:new", first.getString("type"), "nothing refused was broadcast: " + first);
            assertEquals(hundred, first.getJsonObject("data").getString("text"));
            assertEquals("nulgone", watcher.next(T).getJsonObject("data").getString("text"));
        }
    }

    @Test
    void badPresenceIsRefusedAndNeverBroadcast() {
        List<String> bad = List.of(
                "{\"type\":\"presence:update\"}",
                "{\"type\":\"presence:update\",\"status\":null}",
                "{\"type\":\"presence:update\",\"status\":\"Online\"}",
                "{\"type\":\"presence:update\",\"status\":\"invisible\"}",
                "{\"type\":\"presence:update\",\"status\":\"\"}",
                "{\"type\":\"presence:update\",\"status\":1}",
                "{\"type\":\"presence:update\",\"status\":[\"online\"]}");
        try (WsClient a = join(name("eve")); WsClient watcher = join(name("watcher"))) {
            for (String m : bad) {
                a.send(m);
                assertError(a, "INVALID_STATUS");
            }
            a.send("{\"type\":\"presence:update\",\"status\":\"busy\"}");
            JsonObject first = watcher.next(T);
            assertEquals("busy", first.getJsonObject("data").getString("status"), "nothing refused was broadcast: " + first);
        }
    }

    @Test
    void badTypingIsRefusedAndNeverBroadcast() {
        List<String> bad = List.of(
                "{\"type\":\"typing:indicator\"}",
                "{\"type\":\"typing:indicator\",\"isTyping\":null}",
                "{\"type\":\"typing:indicator\",\"isTyping\":\"true\"}",
                "{\"type\":\"typing:indicator\",\"isTyping\":1}",
                "{\"type\":\"typing:indicator\",\"typing\":true}");
        try (WsClient a = join(name("eve")); WsClient watcher = join(name("watcher"))) {
            for (String m : bad) {
                a.send(m);
                assertError(a, "INVALID_MESSAGE");
            }
            a.send("{\"type\":\"typing:indicator\",\"isTyping\":true}");
            JsonObject first = watcher.next(T);
            assertEquals("typing:indicator", first.getString("type"), "nothing refused was broadcast: " + first);
        }
    }

    @Test
    void aFrameOverTheLimitCloses1009() {
        try (WsClient a = join(name("big"))) {
            a.send("{\"type\":\"message:send\",\"text\":\"" + "z".repeat(65536) + "\"}");
            assertEquals(1009, a.awaitClose(T).code());
        }
    }

    @Test
    void aFloodPastTheRateLimitGetsOneErrorAndTheConnectionLives() throws InterruptedException {
        try (WsClient a = join(name("flood"))) {
            for (int i = 0; i < 100; i++) {
                a.send("{\"type\":\"typing:indicator\",\"isTyping\":true}");
            }
            assertError(a, "RATE_LIMITED");
            Thread.sleep(1500); // let the bucket refill: what is measured is that the connection recovers
            a.send("{\"type\":\"message:send\",\"text\":\"after the flood\"}");
            JsonObject m = a.nextOfType("message:new", T);
            assertEquals("after the flood", m.getJsonObject("data").getString("text"));
        }
    }

    @Test
    void theRateLimitIsPerUserAcrossItsConnections() {
        String user = name("shared-limit");
        try (WsClient a = join(user); WsClient b = join(user)) {
            // the burst is 30: 20 on each connection stay under a per-connection limit, not under a per-user one
            for (int i = 0; i < 20; i++) {
                a.send("{\"type\":\"typing:indicator\",\"isTyping\":true}");
                b.send("{\"type\":\"typing:indicator\",\"isTyping\":false}");
            }
            List<JsonObject> seen = new java.util.ArrayList<>(a.drain(java.time.Duration.ofSeconds(2)));
            seen.addAll(b.drain(java.time.Duration.ofMillis(100)));
            assertTrue(seen.stream().anyMatch(m -> m.getString("type").equals("error")
                    && m.getJsonObject("data").getString("code").equals("RATE_LIMITED")), seen.toString());
        }
    }

    @Test
    void aConnectionThatSendsNothingIsClosedAfterTheIdleTimeoutWhilePongsDoNotCount() {
        try (WsClient quiet = join(name("quiet")); WsClient talking = join(name("talking"))) {
            long t0 = System.nanoTime();
            for (int i = 0; i < 8; i++) {
                AppServer.sleep(1000);
                talking.send("{\"type\":\"typing:indicator\",\"isTyping\":true}");
            }
            WsClient.Closed closed = quiet.awaitClose(java.time.Duration.ofSeconds(10));
            assertEquals(1001, closed.code());
            assertEquals("Idle timeout", closed.reason());
            assertTrue(System.nanoTime() - t0 >= 5_000_000_000L, "not before the 6 s limit (give or take the 1 s sweep)");
            assertFalse(talking.isClosed(), "a connection that sends messages stays");
        }
    }

    @Test
    void usernameIsRequiredAndValidated() {
        assertRefused("", "USERNAME_REQUIRED");
        assertRefused("?username=", "USERNAME_REQUIRED");
        assertRefused("?username=" + URLEncoder.encode("bad name!", StandardCharsets.UTF_8), "INVALID_USERNAME");
        assertRefused("?username=" + URLEncoder.encode("<script>", StandardCharsets.UTF_8), "INVALID_USERNAME");
        assertRefused("?username=" + "n".repeat(65), "INVALID_USERNAME");
        try (WsClient ok = join("n".repeat(64))) {
            assertAlive(ok);
        }
    }

    @Test
    void aLocalUsersNameNeedsItsToken() {
        assertRefused("?username=admin", "USERNAME_TAKEN");
        assertRefused("?username=ADMIN", "USERNAME_TAKEN");
    }

    @Test
    void theTokensNameWins() {
        try (WsClient c = raw("?token=" + adminToken + "&username=someone-else")) {
            JsonObject hello = c.next(T);
            assertEquals("connected", hello.getString("type"));
            assertEquals("admin", hello.getString("username"));
            c.send("{\"type\":\"message:send\",\"text\":\"signed\"}");
            assertEquals("admin", c.nextOfType("message:new", T).getJsonObject("data").getString("username"));
        }
        try (WsClient c = WsClient.connect(server.ws("/workspace/ws?username=other"), Map.of("Authorization", "Bearer " + adminToken))) {
            assertEquals("admin", c.next(T).getString("username"));
        }
    }

    @Test
    void anIdentityProviderUserNamedLikeALocalUserIsShownByItsScopedIdentity() throws Exception {
        String subject = "ws-" + System.nanoTime();
        String token = Tokens.idp(SharedServer.idpKey(), "kid-1", c -> c.subject(subject).claim("preferred_username", "Admin"));
        try (WsClient c = raw("?token=" + token)) {
            JsonObject hello = c.nextOfType("connected", T);
            assertEquals(SharedServer.IDP_ISSUER + "|" + subject, hello.getString("username"), "never shown as our admin");
        }
    }

    @Test
    void anInvalidTokenIsRefusedAtTheHandshakeEvenWithAUsername() throws Exception {
        RawWebSocket.Handshake h = RawWebSocket.handshake(server.port(), "/workspace/ws?username=x&token=not.a.jwt", Map.of());
        assertEquals(401, h.status());
    }

    @Test
    void aNameInUseByATokenUserIsReservedAndItsOwnerEvictsSquatters() throws Exception {
        String carol = name("carol");
        try (WsClient squatter = join(carol)) {
            String token = Tokens.idp(SharedServer.idpKey(), c -> c.claim("preferred_username", carol));
            try (WsClient owner = raw("?token=" + token)) {
                assertEquals(carol, owner.nextOfType("connected", T).getString("username"));
                WsClient.Closed closed = squatter.awaitClose(T);
                assertEquals(1008, closed.code());
                // while the owner is connected, the name (in any case) is theirs
                assertRefused("?username=" + carol, "USERNAME_TAKEN");
                assertRefused("?username=" + carol.toUpperCase(), "USERNAME_TAKEN");
            }
            // the owner left and is no local user: the name is free again (the server sees the close a moment later)
            long deadline = System.nanoTime() + T.toNanos();
            while (true) {
                try (WsClient again = raw("?username=" + carol)) {
                    JsonObject first = again.next(T);
                    if (first.getString("type").equals("connected")) {
                        break;
                    }
                    assertEquals("USERNAME_TAKEN", first.getJsonObject("data").getString("code"));
                }
                assertTrue(System.nanoTime() < deadline, "the name was never released");
                Thread.sleep(100);
            }
        }
    }

    @Test
    void atMostThreeConnectionsPerUser() {
        String erin = name("erin");
        try (WsClient a = join(erin); WsClient b = join(erin); WsClient c = join(erin.toUpperCase())) {
            assertRefused("?username=" + erin, "TOO_MANY_CONNECTIONS");
            assertAlive(a);
            assertAlive(b);
            assertAlive(c);
        }
    }

    @Test
    void connectedUsersCountsNamesNotConnections() {
        String fay = name("fay");
        try (WsClient a = join(fay); WsClient b = raw("?username=" + fay)) {
            int withOne = b.next(T).getInt("connectedUsers");
            try (WsClient other = raw("?username=" + name("gus"))) {
                int withTwo = other.next(T).getInt("connectedUsers");
                assertTrue(withTwo >= 2 && withOne >= 1, withOne + " / " + withTwo);
            }
        }
    }

    @Test
    void historyPagesNewestFirstAndFindsWhatWasJustBroadcast() {
        List<String> ids = new ArrayList<>();
        try (WsClient a = join(name("hist"))) {
            for (int i = 0; i < 5; i++) {
                a.send("{\"type\":\"message:send\",\"text\":\"history " + i + "\"}");
                ids.add(a.nextOfType("message:new", T).getJsonObject("data").getString("id"));
            }
        }
        Api.Reply first = Api.call(server, "GET", "/api/workspace/messages?limit=2", adminToken, null);
        assertEquals(200, first.status(), first.body());
        JsonArray page1 = first.json().getJsonArray("messages");
        assertEquals(List.of(ids.get(4), ids.get(3)), List.of(page1.getJsonObject(0).getString("id"), page1.getJsonObject(1).getString("id")));
        assertTrue(first.json().getBoolean("hasMore"));
        JsonObject newest = page1.getJsonObject(0);
        assertEquals("history 4", newest.getString("text"));
        assertTrue(newest.getString("username").startsWith("hist-"));
        assertTrue(newest.getString("userId").startsWith("ws_user_"));
        assertTrue(newest.getString("createdAt").matches(ISO_MILLIS));

        JsonArray page2 = Api.call(server, "GET", "/api/workspace/messages?limit=3&before=" + ids.get(3), adminToken, null)
                .json().getJsonArray("messages");
        assertEquals(List.of(ids.get(2), ids.get(1), ids.get(0)),
                page2.stream().map(v -> v.asJsonObject().getString("id")).toList());

        // by time: everything created strictly before the newest message's millisecond
        String at = newest.getString("createdAt");
        JsonArray byTime = Api.call(server, "GET", "/api/workspace/messages?limit=200&before=" + at, adminToken, null)
                .json().getJsonArray("messages");
        assertTrue(byTime.stream().noneMatch(v -> v.asJsonObject().getString("id").equals(ids.get(4))));
        assertTrue(byTime.stream().allMatch(v -> v.asJsonObject().getString("createdAt").compareTo(at) < 0));

        JsonObject defaults = Api.call(server, "GET", "/api/workspace/messages", adminToken, null).json();
        assertTrue(defaults.getJsonArray("messages").size() <= 50);
        assertEquals(ids.get(4), defaults.getJsonArray("messages").getJsonObject(0).getString("id"));
    }

    @Test
    void historyRefusesBadParametersAndAnonymousCallers() {
        assertEquals(401, Api.call(server, "GET", "/api/workspace/messages", null, null).status());
        assertEquals(401, Api.call(server, "GET", "/api/workspace/messages", "not.a.jwt", null).status());
        for (String q : List.of("limit=0", "limit=201", "limit=abc", "limit=-1", "before=msg_x", "before=msg_1_1000",
                "before=yesterday", "before=2026-13-01T00:00:00Z")) {
            Api.Reply r = Api.call(server, "GET", "/api/workspace/messages?" + q, adminToken, null);
            assertEquals(400, r.status(), q + " -> " + r.body());
            assertTrue(r.json().containsKey("fields"), r.body());
        }
        assertEquals(200, Api.call(server, "GET", "/api/workspace/messages?limit=200&before=2026-01-16T10:00:00.000Z", adminToken, null).status());
        assertEquals(200, Api.call(server, "GET", "/api/workspace/messages?before=2026-01-16T10:00:00%2B02:00", adminToken, null).status());
    }

    private static void assertAlive(WsClient c) {
        c.send("{\"type\":\"message:send\",\"text\":\"still here\"}");
        assertEquals("still here", c.nextOfType("message:new", T).getJsonObject("data").getString("text"));
    }
}
