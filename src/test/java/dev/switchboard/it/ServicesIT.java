package dev.switchboard.it;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /api/services and the node dialect's services.updated and service.search.* on the real server. */
class ServicesIT {

    private static final Duration T = Duration.ofSeconds(10);
    private static AppServer server;
    private static String admin;
    private static Tokens forge;

    @BeforeAll
    static void setUp() throws Exception {
        server = SharedServer.get();
        admin = Api.adminToken(server);
        forge = new Tokens(server);
    }

    static String service(String name, String type, String status, String description) {
        String config = switch (type) {
            case "STANDALONE" -> "{\"executable\":\"/bin/cat\"}";
            case "DOCKER" -> "{\"image\":\"myorg/" + name + ":latest\",\"capabilities\":[\"resize\"]}";
            default -> "{}";
        };
        return "{\"name\":\"" + name + "\",\"description\":\"" + description + "\",\"type\":\"" + type + "\",\"status\":\""
                + status + "\",\"config\":" + config + ",\"capabilities\":{\"gpu\":true},\"pricing_amount\":0.001,"
                + "\"pricing_type\":\"PER_EXECUTION\",\"pricing_unit\":\"EXECUTION\",\"interfaces\":[{\"interface_type\":\"STDIN\","
                + "\"path\":\"\",\"mount_function\":\"\"},{\"interface_type\":\"MOUNT\",\"path\":\"/input\",\"mount_function\":\"INPUT\"}]}";
    }

    static long create(String json) {
        Api.Reply r = Api.call(server, "POST", "/api/services", admin, json);
        assertEquals(201, r.status(), r.body());
        return r.json().getJsonNumber("id").longValue();
    }

    @Test
    void crudRoundTrip() {
        String name = "crud-" + System.nanoTime();
        long id = create(service(name, "DOCKER", "ACTIVE", "Image processing service"));
        JsonObject got = Api.call(server, "GET", "/api/services/" + id, admin, null).json();
        assertEquals(name, got.getString("name"));
        assertEquals("DOCKER", got.getString("type"));
        assertEquals("myorg/" + name + ":latest", got.getJsonObject("config").getString("image"));
        assertEquals("MOUNT", got.getJsonArray("interfaces").getJsonObject(1).getString("interface_type"));
        assertTrue(Api.call(server, "GET", "/api/services", admin, null).body().contains(name));

        Api.Reply put = Api.call(server, "PUT", "/api/services/" + id, admin, service(name, "DOCKER", "INACTIVE", "changed"));
        assertEquals(200, put.status(), put.body());
        assertEquals("INACTIVE", put.json().getString("status"));
        assertEquals(204, Api.call(server, "DELETE", "/api/services/" + id, admin, null).status());
        assertEquals(404, Api.call(server, "GET", "/api/services/" + id, admin, null).status());
    }

    /** The service's entry in a services.updated frame, waiting for one that has it. */
    private static JsonObject pushedService(WsClient c, String name) {
        JsonObject frame = c.next(m -> "services.updated".equals(m.getString("type", "")) && m.toString().contains(name),
                Duration.ofSeconds(20));
        return frame.getJsonObject("payload").getJsonArray("services").stream().map(v -> (JsonObject) v)
                .filter(s -> s.getString("name").equals(name)).findFirst().orElseThrow();
    }

    /** Issue 12, item 2: secret-bearing config is masked for callers without admin/operator, on REST and in pushes. */
    @Test
    void dockerEnvAndCredentialKeysAreMaskedForReadersWithoutAWritingRole() throws Exception {
        String name = "secret-" + System.nanoTime();
        String viewer = forge.rs256(c -> c.subject("viewer-" + name).claim("upn", "viewer-" + name).claim("groups", List.of()));
        try (WsClient writerWs = WsClient.connect(server.ws("/api/ws?token=" + admin));
             WsClient viewerWs = WsClient.connect(server.ws("/api/ws?token=" + viewer))) {
            writerWs.nextOfType("connected", T);
            viewerWs.nextOfType("connected", T);
            long id = create("{\"name\":\"" + name + "\",\"type\":\"DOCKER\",\"config\":{\"image\":\"alpine:3.20\","
                    + "\"env\":{\"DB_PASSWORD\":\"hunter2-" + name + "\",\"MODE\":\"fast\"},\"registry_token\":\"tok-" + name + "\"}}");

            JsonObject masked = Api.call(server, "GET", "/api/services/" + id, viewer, null).json().getJsonObject("config");
            assertEquals("********", masked.getJsonObject("env").getString("DB_PASSWORD"));
            assertEquals("********", masked.getJsonObject("env").getString("MODE"), "every env value");
            assertEquals("********", masked.getString("registry_token"));
            assertEquals("alpine:3.20", masked.getString("image"), "the rest is as it was");
            String list = Api.call(server, "GET", "/api/services", viewer, null).body();
            assertTrue(list.contains(name) && !list.contains("hunter2-" + name) && !list.contains("tok-" + name), list);

            JsonObject full = Api.call(server, "GET", "/api/services/" + id, admin, null).json().getJsonObject("config");
            assertEquals("hunter2-" + name, full.getJsonObject("env").getString("DB_PASSWORD"));
            assertEquals("tok-" + name, full.getString("registry_token"));
            assertTrue(Api.call(server, "GET", "/api/services", admin, null).body().contains("hunter2-" + name));

            JsonObject pushedToViewer = pushedService(viewerWs, name).getJsonObject("config");
            assertEquals("********", pushedToViewer.getJsonObject("env").getString("DB_PASSWORD"));
            assertEquals("********", pushedToViewer.getString("registry_token"));
            JsonObject pushedToWriter = pushedService(writerWs, name).getJsonObject("config");
            assertEquals("hunter2-" + name, pushedToWriter.getJsonObject("env").getString("DB_PASSWORD"));
        }
    }

    @Test
    void everyErrorPathIsAClearStatusNeverA500() throws Exception {
        String name = "err-" + System.nanoTime();
        long id = create(service(name, "DATA", "ACTIVE", "x"));
        String viewer = forge.rs256(c -> c.claim("groups", List.of("viewer")));
        String body = service("other-" + System.nanoTime(), "DATA", "ACTIVE", "x");

        assertEquals(401, Api.call(server, "GET", "/api/services", null, null).status());
        assertEquals("Missing authentication token", Api.call(server, "GET", "/api/services", null, null).json().getString("error"));
        assertEquals(401, Api.call(server, "GET", "/api/services", "garbage", null).status());
        assertEquals(200, Api.call(server, "GET", "/api/services", viewer, null).status(), "reads need any valid token");
        assertEquals(403, Api.call(server, "POST", "/api/services", viewer, body).status(), "writes need admin or operator");
        assertEquals(403, Api.call(server, "DELETE", "/api/services/" + id, viewer, null).status());
        String operator = Tokens.idp(SharedServer.idpKey(), c -> c);
        assertEquals(201, Api.call(server, "POST", "/api/services", operator, body).status(), "an IdP operator may write");

        assertEquals(409, Api.call(server, "POST", "/api/services", admin, service(name, "DATA", "ACTIVE", "dup")).status());
        assertEquals(404, Api.call(server, "GET", "/api/services/999999999", admin, null).status());
        assertEquals(404, Api.call(server, "GET", "/api/services/not-a-number", admin, null).status());
        assertEquals(404, Api.call(server, "PUT", "/api/services/999999999", admin, service("x" + System.nanoTime(), "DATA", "ACTIVE", "")).status());
        assertEquals(404, Api.call(server, "DELETE", "/api/services/999999999", admin, null).status());

        Map<String, String> invalid = Map.of(
                "{bad json", "",
                "[]", "body",
                "{}", "name",
                "{\"name\":\"a b\",\"type\":\"DATA\"}", "name",
                "{\"name\":\"x1\",\"type\":\"SPACESHIP\"}", "type",
                "{\"name\":\"x2\",\"type\":\"DATA\",\"config\":[1]}", "config",
                "{\"name\":\"x3\",\"type\":\"STANDALONE\",\"config\":{\"executable\":\"relative/path\"}}", "config.executable",
                "{\"name\":\"x4\",\"type\":\"DATA\",\"interfaces\":[{\"interface_type\":\"USB\"}]}", "interfaces[0].interface_type",
                "{\"name\":\"x5\",\"type\":\"DATA\",\"pricing_amount\":\"free\"}", "pricing_amount",
                "{\"name\":42,\"type\":\"DATA\"}", "name");
        for (var e : invalid.entrySet()) {
            Api.Reply r = Api.call(server, "POST", "/api/services", admin, e.getKey());
            assertEquals(400, r.status(), e.getKey() + " -> " + r.body());
            if (!e.getValue().isEmpty()) {
                assertTrue(r.json().getJsonObject("fields").containsKey(e.getValue()), e.getKey() + " -> " + r.body());
            }
        }
    }

    @Test
    void aChangeIsPushedSoonAndABurstGivesAHandfulOfFrames() throws Exception {
        try (WsClient c = WsClient.connect(server.ws("/api/ws?token=" + admin))) {
            c.nextOfType("connected", T);
            String name = "pushed-" + System.nanoTime();
            create(service(name, "STANDALONE", "ACTIVE", "pushed"));
            JsonObject pushed = c.next(m -> "services.updated".equals(m.getString("type", ""))
                    && m.toString().contains(name), Duration.ofSeconds(3));
            JsonObject entry = pushed.getJsonObject("payload").getJsonArray("services").stream().map(v -> (JsonObject) v)
                    .filter(s -> s.getString("name").equals(name)).findFirst().orElseThrow();
            assertTrue(entry.get("id").toString().startsWith("\""), "services.updated ids are strings: " + entry);
            assertEquals("/bin/cat", entry.getJsonObject("config").getString("executable"));

            // a burst of 300 changes from 6 writers
            ExecutorService pool = Executors.newFixedThreadPool(6);
            long start = System.nanoTime();
            List<Future<Integer>> writes = new ArrayList<>();
            String prefix = "burst-" + System.nanoTime() + "-";
            for (int i = 0; i < 300; i++) {
                String json = service(prefix + i, "DATA", "ACTIVE", "burst");
                writes.add(pool.submit(() -> Api.call(server, "POST", "/api/services", admin, json).status()));
            }
            for (Future<Integer> w : writes) {
                assertEquals(201, w.get());
            }
            long burstMillis = (System.nanoTime() - start) / 1_000_000;
            pool.shutdown();
            int frames = 0;
            boolean sawLast = false;
            long deadline = System.nanoTime() + 3_000_000_000L;
            while (System.nanoTime() < deadline) {
                JsonObject m;
                try {
                    m = c.next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                } catch (AssertionError quiet) {
                    break;
                }
                if ("services.updated".equals(m.getString("type", ""))) {
                    frames++;
                    sawLast |= m.toString().contains(prefix + "299\"");
                }
            }
            assertTrue(sawLast, "the last change was pushed");
            // debounced at 250 ms, plus at most one periodic push: never one frame per change
            long allowed = burstMillis / 250 + 4;
            assertTrue(frames <= allowed, frames + " frames for 300 changes in " + burstMillis + " ms (allowed " + allowed + ")");
        }
    }

    @Test
    void searchStreamsThisNodesMatchesThenTheEnd() {
        String tag = "srch" + System.nanoTime();
        create(service(tag + "-img", "DOCKER", "ACTIVE", "Advanced IMAGE processing " + tag));
        create(service(tag + "-data", "DATA", "ACTIVE", "image archive " + tag));
        create(service(tag + "-off", "DOCKER", "INACTIVE", "image " + tag));
        create(service(tag + "-exe", "STANDALONE", "ACTIVE", "other " + tag));
        try (WsClient c = WsClient.connect(server.ws("/api/ws?token=" + admin))) {
            String peerId = c.nextOfType("connected", T).getJsonObject("payload").getString("peer_id");

            List<String> all = search(c, "{\"query\":\"" + tag.toUpperCase() + "\",\"service_type\":\"\",\"peer_ids\":[],\"active_only\":false}", peerId);
            assertEquals(4, all.size(), all.toString());
            assertEquals(List.of(tag + "-data", tag + "-img"), sorted(search(c,
                    "{\"query\":\"image " + "\",\"service_type\":\"DOCKER,DATA\",\"peer_ids\":[],\"active_only\":true}", peerId, tag)));
            assertEquals(List.of(tag + "-img", tag + "-off"), sorted(search(c,
                    "{\"query\":\"" + tag + "\",\"service_type\":\"docker\",\"active_only\":false}", peerId)));
            assertEquals(4, search(c, "{\"query\":\"" + tag + "\",\"peer_ids\":[\"" + peerId + "\"]}", peerId).size());
            // another peer only: this node does not answer, the search still ends
            c.send("{\"type\":\"service.search.request\",\"payload\":{\"query\":\"" + tag + "\",\"peer_ids\":[\"12D3KooWnobody\"]},\"timestamp\":1}");
            JsonObject end = c.nextOfType("service.search.response", T).getJsonObject("payload");
            assertTrue(end.getBoolean("complete"));
            assertEquals(0, end.getJsonArray("services").size());
        }
    }

    @Test
    void malformedSearchRequestsGetAnErrorAndCompleteTrue() {
        String[] payloads = {"null", "[]", "\"image\"", "{\"query\":42}", "{\"service_type\":\"SPACESHIP\"}",
                "{\"service_type\":[\"DOCKER\"]}", "{\"peer_ids\":\"12D3\"}", "{\"peer_ids\":[1,2]}", "{\"active_only\":\"yes\"}",
                "{\"query\":\"" + "q".repeat(300) + "\"}"};
        try (WsClient c = WsClient.connect(server.ws("/api/ws?token=" + admin))) {
            c.nextOfType("connected", T);
            for (String p : payloads) {
                c.send("{\"type\":\"service.search.request\",\"payload\":" + p + ",\"timestamp\":1}");
                JsonObject r = c.nextOfType("service.search.response", T).getJsonObject("payload");
                assertTrue(r.getBoolean("complete"), p);
                assertFalse(r.getString("error").isBlank(), p);
                assertEquals(0, r.getJsonArray("services").size());
            }
            c.send("{\"type\":\"ping\"}");
            c.nextOfType("pong", T);
        }
    }

    private static List<String> search(WsClient c, String payload, String peerId) {
        return search(c, payload, peerId, "");
    }

    /** Sends a search and collects the names of the partial answers (filtered by {@code tag}) until complete. */
    private static List<String> search(WsClient c, String payload, String peerId, String tag) {
        c.send("{\"type\":\"service.search.request\",\"payload\":" + payload + ",\"timestamp\":1}");
        List<String> names = new ArrayList<>();
        boolean sawPartial = false;
        while (true) {
            JsonObject p = c.nextOfType("service.search.response", T).getJsonObject("payload");
            assertEquals("", p.getString("error"));
            if (p.getBoolean("complete")) {
                assertEquals(0, p.getJsonArray("services").size(), "the end carries no services");
                assertTrue(sawPartial, "this node's answer comes before the end");
                return names;
            }
            sawPartial = true;
            JsonArray services = p.getJsonArray("services");
            for (int i = 0; i < services.size(); i++) {
                JsonObject s = services.getJsonObject(i);
                assertEquals(peerId, s.getString("peer_id"));
                assertTrue(s.containsKey("interfaces") && s.containsKey("pricing_amount") && s.containsKey("service_type"));
                if (s.getString("name").contains(tag)) {
                    names.add(s.getString("name"));
                }
            }
        }
    }

    private static List<String> sorted(List<String> names) {
        return names.stream().sorted().toList();
    }
}
