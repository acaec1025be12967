package dev.switchboard.it;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14, node: {@code /api/peers}, {@code /api/blacklist}, {@code /api/relay/*} and the frames they feed on
 * {@code /api/ws} ({@code peers.updated}, {@code blacklist.updated}, {@code relay.sessions}, {@code relay.candidates},
 * {@code peer.capabilities.updated}, {@code node.status}'s {@code known_peers}). Its own server has every interval at
 * 1 s and relay and NAT mode on; the shared server (neither mode) shows the relay frames' absence. Other Switchboard
 * instances appear in the list only through the cluster's membership events, which one server cannot produce:
 * the unit tests of the instance table cover them.
 */
class PeersIT {

    private static final Duration T = Duration.ofSeconds(30);
    private static AppServer server;
    private static String admin;
    private static String viewer;

    @BeforeAll
    static void setUp() {
        server = AppServer.create("peers", Map.of(
                "PEERS_PUSH_INTERVAL_SECONDS", "1",
                "BLACKLIST_PUSH_INTERVAL_SECONDS", "1",
                "RELAY_PUSH_INTERVAL_SECONDS", "1",
                "NODE_STATUS_INTERVAL_SECONDS", "1",
                "RELAY_MODE", "true",
                "RELAY_NAT_MODE", "true",
                "BLACKLIST_CACHE_MS", "200",
                "PEERS_MAX_REGISTERED", "50"));
        server.start();
        admin = Api.adminToken(server);
        String name = "viewer-" + UUID.randomUUID().toString().substring(0, 8);
        Api.Reply made = Api.call(server, "POST", "/api/users", admin,
                "{\"username\":\"" + name + "\",\"password\":\"viewer-secret-123\",\"groups\":[]}");
        assertEquals(201, made.status(), made.body());
        Api.Reply login = Api.login(server, name, "viewer-secret-123");
        assertEquals(200, login.status(), login.body());
        viewer = login.json().getString("token");
    }

    @AfterAll
    static void tearDown() {
        if (server != null) {
            server.close();
        }
    }

    private static String id(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String peer(String id, String extra) {
        return "{\"id\":\"" + id + "\",\"addresses\":[\"192.168.1.100:8080\",\"/ip4/192.168.1.100/udp/8080/quic\"],"
                + "\"is_relay\":false,\"can_be_relay\":true,\"connection_quality\":95,\"metadata\":{\"region\":\"eu\"}"
                + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    private static Api.Reply call(String method, String path, String token, String json) {
        return Api.call(server, method, path, token, json);
    }

    private static WsClient node() {
        return WsClient.connect(server.ws("/api/ws?token=" + admin));
    }

    private static List<JsonObject> entries(JsonObject frame, String list) {
        return frame.getJsonObject("payload").getJsonArray(list).getValuesAs(JsonObject.class);
    }

    private static Optional<JsonObject> entry(JsonObject frame, String list, String key, String value) {
        return entries(frame, list).stream().filter(e -> value.equals(e.getString(key, null))).findFirst();
    }

    /** The next frame of {@code type} whose list satisfies {@code test}. */
    private static JsonObject await(WsClient c, String type, Predicate<JsonObject> test) {
        return c.next(m -> type.equals(m.getString("type", "")) && test.test(m), T);
    }

    @Test
    void writesNeedAWritingRoleAndReadsAToken() {
        String p = id("roles");
        assertEquals(401, call("GET", "/api/peers", null, null).status());
        assertEquals(401, call("POST", "/api/peers", null, peer(p, "")).status());
        assertEquals(401, call("GET", "/api/blacklist", null, null).status());
        assertEquals(401, call("GET", "/api/relay/sessions", null, null).status());

        assertEquals(200, call("GET", "/api/peers", viewer, null).status());
        assertEquals(200, call("GET", "/api/blacklist", viewer, null).status());
        assertEquals(200, call("GET", "/api/relay/candidates", viewer, null).status());
        assertEquals(403, call("POST", "/api/peers", viewer, peer(p, "")).status());
        assertEquals(403, call("PUT", "/api/peers/" + p, viewer, peer(p, "")).status());
        assertEquals(403, call("DELETE", "/api/peers/" + p, viewer, null).status());
        assertEquals(403, call("POST", "/api/blacklist", viewer, "{\"peer_id\":\"" + p + "\",\"reason\":\"x\"}").status());
        assertEquals(403, call("DELETE", "/api/blacklist/" + p, viewer, null).status());
        assertEquals(403, call("PUT", "/api/relay/sessions/s-" + p, viewer,
                "{\"remote_peer_id\":\"" + p + "\",\"start_time\":1703520000}").status());
        assertEquals(403, call("PUT", "/api/relay/candidates/" + p, viewer, "{\"endpoint\":\"r:1\"}").status());
        assertEquals(404, call("GET", "/api/peers/" + p, admin, null).status(), "the refused writes wrote nothing");
    }

    @Test
    void registeredPeersCrud() {
        String p = id("crud");
        Api.Reply created = call("POST", "/api/peers", admin, peer(p, "\"capabilities\":[\"gpu\",\"storage\"]"));
        assertEquals(201, created.status(), created.body());
        JsonObject c = created.json();
        assertEquals(p, c.getString("id"));
        assertEquals(List.of("192.168.1.100:8080", "/ip4/192.168.1.100/udp/8080/quic"),
                c.getJsonArray("addresses").getValuesAs(jakarta.json.JsonString.class).stream().map(s -> s.getString()).toList());
        assertTrue(c.getBoolean("can_be_relay"));
        assertFalse(c.getBoolean("is_relay"));
        assertEquals(95, c.getInt("connection_quality"));
        assertEquals("eu", c.getJsonObject("metadata").getString("region"));
        assertEquals("registered", c.getString("source"));
        assertFalse(c.getBoolean("blacklisted"));
        long now = Instant.now().getEpochSecond();
        assertTrue(Math.abs(c.getJsonNumber("last_seen").longValue() - now) < 120, "a write without last_seen is a sighting now");

        assertEquals(409, call("POST", "/api/peers", admin, peer(p, "")).status(), "POST does not replace");
        assertEquals(200, call("GET", "/api/peers/" + p, viewer, null).status());
        assertTrue(call("GET", "/api/peers", viewer, null).body().contains(p));
        Api.Reply put = call("PUT", "/api/peers/" + p, admin, "{\"is_relay\":true,\"last_seen\":1703520000}");
        assertEquals(200, put.status(), put.body());
        assertTrue(put.json().getBoolean("is_relay"));
        assertEquals(1703520000, put.json().getJsonNumber("last_seen").longValue());
        assertEquals(0, put.json().getJsonArray("addresses").size(), "PUT replaces the whole peer");
        assertEquals(204, call("DELETE", "/api/peers/" + p, admin, null).status());
        assertEquals(404, call("GET", "/api/peers/" + p, admin, null).status());
        assertEquals(404, call("DELETE", "/api/peers/" + p, admin, null).status());

        String q = id("put");
        assertEquals(201, call("PUT", "/api/peers/" + q, admin, "{}").status(), "PUT creates");
        assertEquals(204, call("DELETE", "/api/peers/" + q, admin, null).status());
    }

    private static void assertInvalid(Api.Reply r, String field) {
        assertEquals(400, r.status(), r.body());
        JsonObject body = r.json();
        assertEquals("Validation failed", body.getString("error"), r.body());
        assertTrue(body.getJsonObject("fields").containsKey(field), field + " named in " + r.body());
    }

    @Test
    void badInputIsA400NamingTheFields() {
        String p = id("bad");
        Api.Reply malformed = call("POST", "/api/peers", admin, "{\"id\":");
        assertEquals(400, malformed.status(), malformed.body());
        assertEquals("Malformed JSON body", malformed.json().getString("error"));
        assertInvalid(call("POST", "/api/peers", admin, "[1,2]"), "body");
        assertInvalid(call("POST", "/api/peers", admin, ""), "body");
        assertInvalid(call("POST", "/api/peers", admin, "{\"addresses\":[]}"), "id");
        Api.Reply types = call("POST", "/api/peers", admin, "{\"id\":\"" + p + "\",\"is_relay\":\"yes\",\"connection_quality\":101,"
                + "\"addresses\":\"10.0.0.1:1\",\"metadata\":[],\"last_seen\":\"now\",\"capabilities\":[1]}");
        assertInvalid(types, "is_relay");
        JsonObject fields = types.json().getJsonObject("fields");
        for (String f : List.of("connection_quality", "addresses", "metadata", "last_seen", "capabilities[0]")) {
            assertTrue(fields.containsKey(f), f + " in " + fields);
        }
        assertInvalid(call("POST", "/api/peers", admin, "{\"id\":\"" + p + "\",\"isRelay\":true}"), "isRelay");
        assertInvalid(call("POST", "/api/peers", admin, "{\"id\":\"bad id/../x\"}"), "id");
        assertInvalid(call("POST", "/api/peers", admin, "{\"id\":\"" + "x".repeat(129) + "\"}"), "id");
        assertInvalid(call("POST", "/api/peers", admin, "{\"id\":\"" + p + "\",\"connection_quality\":1.5}"), "connection_quality");
        assertInvalid(call("POST", "/api/peers", admin, "{\"id\":\"" + p + "\",\"last_seen\":" + (Instant.now().getEpochSecond() + 3600) + "}"),
                "last_seen");
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < 17; i++) {
            many.append(i == 0 ? "" : ",").append("\"10.0.0.").append(i).append(":1\"");
        }
        assertInvalid(call("POST", "/api/peers", admin, "{\"id\":\"" + p + "\",\"addresses\":" + many + "]}"), "addresses");
        assertInvalid(call("POST", "/api/peers", admin, "{\"id\":\"" + p + "\",\"metadata\":{\"k\":\"" + "m".repeat(5000) + "\"}}"),
                "metadata");
        Api.Reply huge = call("POST", "/api/peers", admin, "{\"id\":\"" + p + "\",\"metadata\":{\"k\":\"" + "m".repeat(70_000) + "\"}}");
        assertEquals(413, huge.status(), huge.body());
        assertInvalid(call("PUT", "/api/peers/" + p, admin, "{\"id\":\"other\"}"), "id");
        assertEquals(404, call("GET", "/api/peers/" + p, admin, null).status(), "nothing was stored");

        String self = selfPeerId();
        Api.Reply own = call("POST", "/api/peers", admin, "{\"id\":\"" + self + "\"}");
        assertEquals(409, own.status(), own.body());

        assertInvalid(call("POST", "/api/blacklist", admin, "{\"peer_id\":\"" + p + "\"}"), "reason");
        assertInvalid(call("POST", "/api/blacklist", admin, "{\"reason\":\"spam\"}"), "peer_id");
        assertInvalid(call("POST", "/api/blacklist", admin, "{\"peer_id\":\"" + p + "\",\"reason\":\"  \"}"), "reason");
        assertInvalid(call("POST", "/api/blacklist", admin, "{\"peer_id\":\"" + p + "\",\"reason\":\"" + "r".repeat(513) + "\"}"), "reason");
        assertInvalid(call("POST", "/api/blacklist", admin, "{\"peer_id\":\"" + p + "\",\"reason\":\"x\",\"expires_at\":1703520000}"),
                "expires_at");
        assertInvalid(call("POST", "/api/blacklist", admin, "{\"peer_id\":\"" + p + "\",\"reason\":\"x\",\"expires_at\":"
                + (Instant.now().getEpochSecond() + 60) + ",\"expires_in_seconds\":60}"), "expires_at");
        assertInvalid(call("POST", "/api/blacklist", admin, "{\"peer_id\":\"" + p + "\",\"reason\":\"x\",\"expires_in_seconds\":0}"),
                "expires_in_seconds");
        assertInvalid(call("POST", "/api/blacklist", admin, "{\"peer_id\":\"" + self + "\",\"reason\":\"x\"}"), "peer_id");
        assertEquals(404, call("GET", "/api/blacklist/" + p, admin, null).status());
        assertEquals(404, call("DELETE", "/api/blacklist/" + p, admin, null).status());

        assertInvalid(call("PUT", "/api/relay/sessions/s-" + p, admin, "{\"start_time\":1703520000}"), "remote_peer_id");
        assertInvalid(call("PUT", "/api/relay/sessions/s-" + p, admin, "{\"remote_peer_id\":\"" + p + "\",\"start_time\":1703520000,"
                + "\"bytes_sent\":-1,\"earnings\":\"lots\"}"), "bytes_sent");
        assertInvalid(call("PUT", "/api/relay/candidates/" + p, admin, "{\"endpoint\":\"r:1\",\"reputation_score\":1.5}"),
                "reputation_score");
        assertInvalid(call("PUT", "/api/relay/candidates/" + p, admin, "{\"latency_ms\":5}"), "endpoint");
        assertEquals(404, call("GET", "/api/relay/sessions/s-" + p, admin, null).status());
        assertEquals(404, call("DELETE", "/api/relay/candidates/" + p, admin, null).status());
    }

    private static String selfPeerId() {
        try (WsClient c = node()) {
            return c.nextOfType("connected", T).getJsonObject("payload").getString("peer_id");
        }
    }

    @Test
    void peersUpdatedListsRegisteredPeersButNotThisNodeAndKnownPeersCountsThem() {
        String p = id("listed");
        assertEquals(201, call("POST", "/api/peers", admin, peer(p, "")).status());
        try (WsClient c = node()) {
            String self = c.nextOfType("connected", T).getJsonObject("payload").getString("peer_id");
            JsonObject frame = await(c, "peers.updated", m -> entry(m, "peers", "id", p).isPresent());
            JsonObject e = entry(frame, "peers", "id", p).orElseThrow();
            assertEquals(Map.of("id", 0, "addresses", 0, "last_seen", 0, "is_relay", 0, "can_be_relay", 0,
                    "connection_quality", 0, "metadata", 0).keySet(), e.keySet(), "the spec's fields, nothing else");
            assertEquals(2, e.getJsonArray("addresses").size());
            assertTrue(e.getBoolean("can_be_relay"));
            assertEquals(95, e.getInt("connection_quality"));
            assertEquals("eu", e.getJsonObject("metadata").getString("region"));
            assertTrue(entry(frame, "peers", "id", self).isEmpty(), "a node is not its own peer");

            int known = call("GET", "/api/peers?view=known", admin, null).json().getJsonArray("peers").size();
            JsonObject status = await(c, "node.status", m -> m.getJsonObject("payload").getInt("known_peers") == known);
            assertTrue(known >= 1);
            assertEquals(known, status.getJsonObject("payload").getInt("known_peers"));

            assertEquals(204, call("DELETE", "/api/peers/" + p, admin, null).status());
            await(c, "peers.updated", m -> entry(m, "peers", "id", p).isEmpty());
            await(c, "node.status", m -> m.getJsonObject("payload").getInt("known_peers") == known - 1);
        }
    }

    @Test
    void capabilityChangesArePushed() {
        String p = id("caps");
        try (WsClient c = node()) {
            c.nextOfType("connected", T);
            assertEquals(201, call("POST", "/api/peers", admin, peer(p, "\"capabilities\":[\"websocket\"]")).status());
            JsonObject first = await(c, "peer.capabilities.updated", m -> p.equals(m.getJsonObject("payload").getString("peer_id")));
            assertEquals(List.of("websocket"), strings(first.getJsonObject("payload").getJsonArray("capabilities")));
            assertEquals(200, call("PUT", "/api/peers/" + p, admin, peer(p, "\"capabilities\":[\"websocket\",\"gpu\"]")).status());
            JsonObject second = await(c, "peer.capabilities.updated", m -> p.equals(m.getJsonObject("payload").getString("peer_id")));
            assertEquals(List.of("websocket", "gpu"), strings(second.getJsonObject("payload").getJsonArray("capabilities")));
            // the same capabilities again: no frame; a change after it proves none came in between
            assertEquals(200, call("PUT", "/api/peers/" + p, admin, peer(p, "\"capabilities\":[\"gpu\",\"websocket\"]")).status());
            assertEquals(200, call("PUT", "/api/peers/" + p, admin, peer(p, "\"capabilities\":[]")).status());
            JsonObject third = await(c, "peer.capabilities.updated", m -> p.equals(m.getJsonObject("payload").getString("peer_id")));
            assertEquals(List.of(), strings(third.getJsonObject("payload").getJsonArray("capabilities")));
        } finally {
            call("DELETE", "/api/peers/" + p, admin, null);
        }
    }

    private static List<String> strings(JsonArray a) {
        return a.getValuesAs(jakarta.json.JsonString.class).stream().map(s -> s.getString()).toList();
    }

    @Test
    void aBlacklistedPeerLeavesTheListUntilItsEntryExpires() {
        String p = id("blocked");
        assertEquals(201, call("POST", "/api/peers", admin, peer(p, "")).status());
        try (WsClient c = node()) {
            c.nextOfType("connected", T);
            await(c, "peers.updated", m -> entry(m, "peers", "id", p).isPresent());

            Api.Reply added = call("POST", "/api/blacklist", admin, "{\"peer_id\":\"" + p + "\",\"reason\":\"Malicious behavior detected\","
                    + "\"expires_in_seconds\":10}");
            assertEquals(201, added.status(), added.body());
            long expiresAt = added.json().getJsonNumber("expires_at").longValue();
            assertTrue(expiresAt > Instant.now().getEpochSecond() - 5);
            JsonObject listed = await(c, "blacklist.updated", m -> entry(m, "blacklist", "peer_id", p).isPresent());
            JsonObject e = entry(listed, "blacklist", "peer_id", p).orElseThrow();
            assertEquals("Malicious behavior detected", e.getString("reason"));
            assertEquals(expiresAt, e.getJsonNumber("expires_at").longValue());
            assertTrue(e.getJsonNumber("added_at").longValue() > 0);
            assertEquals(Map.of("peer_id", 0, "reason", 0, "added_at", 0, "expires_at", 0).keySet(), e.keySet());
            await(c, "peers.updated", m -> entry(m, "peers", "id", p).isEmpty());
            assertTrue(call("GET", "/api/peers/" + p, admin, null).json().getBoolean("blacklisted"));
            assertEquals(200, call("GET", "/api/blacklist/" + p, viewer, null).status());
            assertTrue(call("GET", "/api/peers?view=known", admin, null).json().getJsonArray("peers").stream()
                    .noneMatch(v -> p.equals(((JsonObject) v).getString("id"))));

            // expiry: the entry goes from blacklist.updated and the peer comes back, without anyone removing it
            await(c, "blacklist.updated", m -> entry(m, "blacklist", "peer_id", p).isEmpty());
            await(c, "peers.updated", m -> entry(m, "peers", "id", p).isPresent());
            assertEquals(404, call("GET", "/api/blacklist/" + p, admin, null).status());

            // for ever (expires_at 0), then removed by hand
            Api.Reply forever = call("POST", "/api/blacklist", admin, "{\"peer_id\":\"" + p + "\",\"reason\":\"spam\"}");
            assertEquals(201, forever.status(), forever.body());
            assertEquals(0, forever.json().getJsonNumber("expires_at").longValue());
            Api.Reply again = call("POST", "/api/blacklist", admin, "{\"peer_id\":\"" + p + "\",\"reason\":\"still spam\"}");
            assertEquals(200, again.status(), "adding again renews");
            JsonObject permanent = await(c, "blacklist.updated", m -> entry(m, "blacklist", "peer_id", p)
                    .filter(b -> "still spam".equals(b.getString("reason"))).isPresent());
            assertEquals(0, entry(permanent, "blacklist", "peer_id", p).orElseThrow().getJsonNumber("expires_at").longValue());
            await(c, "peers.updated", m -> entry(m, "peers", "id", p).isEmpty());
            assertEquals(204, call("DELETE", "/api/blacklist/" + p, admin, null).status());
            await(c, "blacklist.updated", m -> entry(m, "blacklist", "peer_id", p).isEmpty());
            await(c, "peers.updated", m -> entry(m, "peers", "id", p).isPresent());
        } finally {
            call("DELETE", "/api/blacklist/" + p, admin, null);
            call("DELETE", "/api/peers/" + p, admin, null);
        }
    }

    @Test
    void relayFramesCarryTheFedRecordsAndLeaveBlacklistedPeersOut() {
        String remote = id("remote");
        String session = id("session");
        String relay = id("relay");
        Api.Reply s = call("PUT", "/api/relay/sessions/" + session, admin, "{\"remote_peer_id\":\"" + remote + "\","
                + "\"start_time\":" + (Instant.now().getEpochSecond() - 3600) + ",\"bytes_sent\":1048576,\"bytes_recv\":524288,\"earnings\":0.0042}");
        assertEquals(201, s.status(), s.body());
        Api.Reply cand = call("PUT", "/api/relay/candidates/" + relay, admin, "{\"node_id\":\"0x1234\",\"endpoint\":\"relay.example.com:8080\","
                + "\"latency_ms\":50,\"reputation_score\":0.95,\"pricing_per_gb\":0.001,\"capacity\":1000,\"is_connected\":true}");
        assertEquals(201, cand.status(), cand.body());
        assertEquals(200, call("PUT", "/api/relay/candidates/" + relay, admin, "{\"node_id\":\"0x1234\",\"endpoint\":\"relay.example.com:8080\","
                + "\"latency_ms\":50,\"reputation_score\":0.95,\"pricing_per_gb\":0.001,\"capacity\":1000,\"is_connected\":true}").status());
        try (WsClient c = node()) {
            c.nextOfType("connected", T);
            JsonObject sessions = await(c, "relay.sessions", m -> entry(m, "sessions", "session_id", session).isPresent());
            JsonObject se = entry(sessions, "sessions", "session_id", session).orElseThrow();
            assertEquals(remote, se.getString("remote_peer_id"));
            assertTrue(se.getJsonNumber("duration_seconds").longValue() >= 3600);
            assertEquals(1048576, se.getJsonNumber("bytes_sent").longValue());
            assertEquals(524288, se.getJsonNumber("bytes_recv").longValue());
            assertEquals(0.0042, se.getJsonNumber("earnings").doubleValue(), 1e-12);

            JsonObject candidates = await(c, "relay.candidates", m -> entry(m, "candidates", "peer_id", relay).isPresent());
            JsonObject ce = entry(candidates, "candidates", "peer_id", relay).orElseThrow();
            assertEquals("0x1234", ce.getString("node_id"));
            assertEquals("relay.example.com:8080", ce.getString("endpoint"));
            assertEquals("50ms", ce.getString("latency"));
            assertEquals(50, ce.getInt("latency_ms"));
            assertEquals(0.95, ce.getJsonNumber("reputation_score").doubleValue(), 1e-9);
            assertTrue(ce.getBoolean("is_connected"));
            assertFalse(ce.getBoolean("is_preferred"));
            assertTrue(ce.getJsonNumber("last_seen").longValue() > 0);

            JsonObject status = await(c, "node.status", m -> m.getJsonObject("payload").getJsonObject("stats").getInt("relay_sessions") >= 1);
            assertTrue(status.getJsonObject("payload").getJsonObject("stats").getInt("relay_sessions") >= 1);

            assertEquals(201, call("POST", "/api/blacklist", admin, "{\"peer_id\":\"" + remote + "\",\"reason\":\"abuse\"}").status());
            assertEquals(201, call("POST", "/api/blacklist", admin, "{\"peer_id\":\"" + relay + "\",\"reason\":\"abuse\"}").status());
            await(c, "relay.sessions", m -> entry(m, "sessions", "session_id", session).isEmpty());
            await(c, "relay.candidates", m -> entry(m, "candidates", "peer_id", relay).isEmpty());
            assertTrue(call("GET", "/api/relay/sessions", viewer, null).body().contains(session), "the REST list still shows it");
        } finally {
            call("DELETE", "/api/blacklist/" + remote, admin, null);
            call("DELETE", "/api/blacklist/" + relay, admin, null);
            assertEquals(204, call("DELETE", "/api/relay/sessions/" + session, admin, null).status());
            assertEquals(204, call("DELETE", "/api/relay/candidates/" + relay, admin, null).status());
        }
    }

    @Test
    void countsAreBounded() {
        int registered = call("GET", "/api/peers", admin, null).json().getJsonArray("peers").size();
        List<String> made = new java.util.ArrayList<>();
        try {
            for (int i = registered; i < 50; i++) {
                String p = id("bound");
                assertEquals(201, call("POST", "/api/peers", admin, "{\"id\":\"" + p + "\"}").status());
                made.add(p);
            }
            Api.Reply full = call("POST", "/api/peers", admin, "{\"id\":\"" + id("over") + "\"}");
            assertEquals(409, full.status(), full.body());
            assertTrue(full.json().getString("error").contains("50"), full.body());
        } finally {
            made.forEach(p -> call("DELETE", "/api/peers/" + p, admin, null));
        }
    }

    /** On a server with neither relay nor NAT mode no relay frame is ever sent, while the others keep coming. */
    @Test
    void noRelayFramesWithoutRelayOrNatMode() {
        AppServer shared = SharedServer.get();
        String token = Api.adminToken(shared);
        try (WsClient c = WsClient.connect(shared.ws("/api/ws?token=" + token))) {
            c.nextOfType("connected", T);
            // relay.push.interval-seconds is 5 there: three node.status frames (5 s apart) span more than one
            List<String> seen = new java.util.ArrayList<>();
            int statuses = 0;
            while (statuses < 3) {
                JsonObject m = c.next(Duration.ofSeconds(30));
                String type = m.getString("type", "");
                seen.add(type);
                if (type.equals("node.status")) {
                    statuses++;
                    assertEquals(0, m.getJsonObject("payload").getJsonObject("stats").getInt("relay_sessions"));
                }
            }
            assertTrue(seen.stream().noneMatch(t -> t.startsWith("relay.")), seen.toString());
        }
        assertEquals(JsonValue.ValueType.ARRAY, Api.call(shared, "GET", "/api/relay/sessions", token, null).json()
                .get("sessions").getValueType(), "the records can still be fed and read");
    }
}
