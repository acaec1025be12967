package dev.switchboard.it;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Uploads in a cluster: three real instances on loopback sharing one PostgreSQL database, one Redis (a prefix of this
 * run's own), one signing key and one upload directory ({@code upload.storage-dir}). A session started on one
 * instance is carried on and finished on another, and the file is served by all; two instances taking chunks of
 * one session at once never count a chunk twice; an instance killed with {@code kill -9} in the middle of an
 * upload loses no acknowledged chunk and another finishes the identical file; the janitor runs on one instance.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterUploadsIT {

    private static final Duration T = Duration.ofSeconds(30);
    private static final int CHUNK = 64 * 1024;
    static final int IDLE_SECONDS = 30;

    private Cluster cluster;
    private AppServer a;
    private AppServer b;
    private AppServer c;
    private Path shared;
    private String admin;
    private long serviceId;

    @BeforeAll
    void startCluster() throws Exception {
        shared = Path.of(System.getProperty("it.work", "target/it")).resolve(AppServer.kind())
                .resolve("cluster-uploads-shared-" + System.nanoTime()).toAbsolutePath();
        cluster = Cluster.start("cluster-up", 3, Map.of(
                "UPLOAD_STORAGE_DIR", shared.toString(),
                "UPLOAD_CLEANUP_INTERVAL_SECONDS", "2",
                "UPLOAD_SESSION_IDLE_SECONDS", String.valueOf(IDLE_SECONDS)));
        a = cluster.get(0);
        b = cluster.get(1);
        c = cluster.get(2);
        admin = Api.adminToken(a);
        Api.Reply svc = Api.call(a, "POST", "/api/services", admin,
                "{\"name\":\"cluster-uploads-" + System.nanoTime() + "\",\"type\":\"DATA\",\"description\":\"files\"}");
        assertEquals(201, svc.status(), svc.body());
        serviceId = svc.json().getJsonNumber("id").longValue();
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void anUploadStartedOnOneInstanceIsFinishedOnAnotherAndServedByAll() throws Exception {
        byte[] data = random(40 * CHUNK - 123, 1);
        String path = "moved/a-to-b.bin";
        try (WsClient onA = vault(a); WsClient onC = vault(c)) {
            String session;
            try (WsClient node = node(a)) {
                Uploader up = new Uploader(node);
                session = up.start(serviceId, "moved", path, 0, 1, data, CHUNK);
                for (int i = 0; i < 15; i++) {
                    assertEquals("file.upload.progress", up.chunk(session, i, data, CHUNK).getString("type"));
                }
            }
            assertTrue(Files.exists(shared.resolve("uploads/" + session + ".part")), "the partial file is in the shared directory");
            // every instance sees the session as the database has it: the first 15 chunks received
            JsonObject listed = openSession(c, session);
            assertEquals(15, listed.getInt("chunks_received"), listed.toString());
            Set<Integer> bits = received(listed);
            for (int i = 0; i < 40; i++) {
                assertEquals(i < 15, bits.contains(i), "chunk " + i + " in " + listed);
            }
            try (WsClient node = node(b)) {
                Uploader up = new Uploader(node);
                JsonObject resumed = up.send("file.upload.resume", "{\"session_id\":\"" + session + "\"}");
                assertEquals("file.upload.progress", resumed.getString("type"), resumed.toString());
                assertEquals(15, resumed.getJsonObject("payload").getInt("chunks_received"), resumed.toString());
                assertEquals(15L * CHUNK, resumed.getJsonObject("payload").getJsonNumber("bytes_uploaded").longValue());
                for (int i = 15; i < 40; i++) {
                    assertEquals("file.upload.progress", up.chunk(session, i, data, CHUNK).getString("type"));
                }
                assertEquals(Uploader.sha256(data), up.complete(session).getString("file_hash"));
            }
            for (AppServer s : List.of(a, b, c)) {
                assertArrayEquals(data, download(s, path), "served by " + s.port());
                JsonObject file = Api.call(s, "GET", "/api/services/" + serviceId + "/files", admin, null).json()
                        .getJsonArray("files").stream().map(v -> v.asJsonObject())
                        .filter(f -> f.getString("file_path").equals(path)).findFirst().orElseThrow();
                assertEquals(data.length, file.getJsonNumber("size").longValue());
            }
            // the completion on b is a file operation for the subscribers of a and c
            for (WsClient v : List.of(onA, onC)) {
                JsonObject uploaded = v.next(m -> "file_uploaded".equals(m.getString("type")), T);
                assertEquals("services/" + serviceId + "/files/" + path, uploaded.getJsonObject("data").getString("key"));
            }
            assertFalse(Files.exists(shared.resolve("uploads/" + session + ".part")), "no partial file is left behind");
        }
    }

    @Test
    @Order(2)
    void twoInstancesTakingChunksOfOneSessionAtOnceCountEachOnceAndCompleteOnce() throws Exception {
        byte[] data = random(48 * CHUNK - 7, 2);
        String path = "both/a-and-c.bin";
        try (WsClient watcher = vault(b); WsClient nodeA = node(a); WsClient nodeC = node(c)) {
            Uploader upA = new Uploader(nodeA);
            Uploader upC = new Uploader(nodeC);
            String session = upA.start(serviceId, "both", path, 0, 1, data, CHUNK);
            List<JsonObject> answers = new CopyOnWriteArrayList<>();
            List<Integer> forward = new ArrayList<>();
            for (int i = 0; i < 48; i++) {
                forward.add(i);
            }
            List<Integer> shuffled = new ArrayList<>(forward);
            Collections.shuffle(shuffled, new Random(5));
            // every chunk is sent to both instances, in different orders, at the same time
            CompletableFuture<?> viaA = CompletableFuture.runAsync(() -> forward.forEach(i -> answers.add(upA.chunk(session, i, data, CHUNK))));
            CompletableFuture<?> viaC = CompletableFuture.runAsync(() -> shuffled.forEach(i -> answers.add(upC.chunk(session, i, data, CHUNK))));
            CompletableFuture.allOf(viaA, viaC).get(120, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(96, answers.size());
            for (JsonObject answer : answers) {
                assertEquals("file.upload.progress", answer.getString("type"), answer.toString());
                JsonObject p = answer.getJsonObject("payload");
                assertTrue(p.getInt("chunks_received") <= 48, "a chunk counted twice: " + answer);
                assertTrue(p.getJsonNumber("bytes_uploaded").longValue() <= data.length, "bytes counted twice: " + answer);
            }
            // whichever instance took the last missing chunk completed it; a resume of a completed session says so
            assertEquals("file.upload.progress", upA.send("file.upload.resume", "{\"session_id\":\"" + session + "\"}").getString("type"));
            assertEquals(Uploader.sha256(data), upA.complete(session).getString("file_hash"));
            assertArrayEquals(data, download(b, path));
            // completed once: the file operation after the upload is the delete that follows, not a second upload
            JsonObject uploaded = watcher.next(m -> "file_operations".equals(m.getString("topic", null)), T);
            assertEquals("file_uploaded", uploaded.getString("type"), uploaded.toString());
            assertEquals(204, Api.call(c, "DELETE", "/api/services/" + serviceId + "/files/" + path, admin, null).status());
            JsonObject next = watcher.next(m -> "file_operations".equals(m.getString("topic", null)), T);
            assertEquals("file_deleted", next.getString("type"), next.toString());
        }
    }

    @Test
    @Order(3)
    void anUploadWhoseInstanceIsKilledWithKill9IsFinishedOnAnotherWithEveryAcknowledgedChunk() throws Exception {
        int chunks = 160;
        byte[] data = random(chunks * CHUNK - 777, 3);
        String path = "crash/killed.bin";
        Set<Integer> acked = ConcurrentHashMap.newKeySet();
        try (WsClient watcher = vault(c)) {
            WsClient doomed = node(a);
            Uploader up = new Uploader(doomed);
            String session = up.start(serviceId, "crash", path, 0, 1, data, CHUNK);
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < chunks; i++) {
                order.add(i);
            }
            Collections.shuffle(order, new Random(3));
            Thread sender = new Thread(() -> {
                try {
                    for (int i : order) {
                        if (up.chunk(session, i, data, CHUNK).getString("type").equals("file.upload.progress")) {
                            acked.add(i);
                        }
                        Thread.sleep(10);
                    }
                } catch (Throwable e) {
                    // the instance died under it: expected
                }
            });
            sender.start();
            long deadline = System.nanoTime() + T.toNanos();
            while (acked.size() < 30) {
                assertTrue(System.nanoTime() < deadline, "the upload is under way (" + acked.size() + " chunks acknowledged)");
                AppServer.sleep(5);
            }
            long killed = System.nanoTime();
            a.kill();
            sender.join(30_000);
            doomed.close();
            Set<Integer> before = Set.copyOf(acked);
            assertTrue(before.size() < chunks, "killed in the middle of the upload (" + before.size() + " chunks acknowledged)");

            String token = Api.adminToken(b);
            int resent = 0;
            long resumedMs;
            JsonObject complete;
            try (WsClient node = node(b)) {
                Uploader again = new Uploader(node);
                JsonObject resumed = again.send("file.upload.resume", "{\"session_id\":\"" + session + "\"}");
                resumedMs = (System.nanoTime() - killed) / 1_000_000;
                assertEquals("file.upload.progress", resumed.getString("type"), resumed.toString());
                assertTrue(resumed.getJsonObject("payload").getInt("chunks_received") >= before.size(),
                        "every acknowledged chunk survived the kill: " + resumed + " acknowledged " + before.size());
                // what is durable says which chunks are in: each acknowledged one is
                Set<Integer> stored = received(openSession(b, session, token));
                assertTrue(stored.containsAll(before), "acknowledged but not stored: " + difference(before, stored));
                for (int i = 0; i < chunks; i++) {
                    if (!stored.contains(i)) {
                        assertEquals("file.upload.progress", again.chunk(session, i, data, CHUNK).getString("type"));
                        resent++;
                    }
                }
                complete = again.complete(session);
            }
            long completedMs = (System.nanoTime() - killed) / 1_000_000;
            assertEquals(Uploader.sha256(data), complete.getString("file_hash"));
            for (AppServer s : List.of(b, c)) {
                assertArrayEquals(data, download(s, path, token), "served by " + s.port());
            }
            JsonObject uploaded = watcher.next(m -> "file_uploaded".equals(m.getString("type")), T);
            assertEquals("services/" + serviceId + "/files/" + path, uploaded.getJsonObject("data").getString("key"));
            System.out.println("cluster.uploads kill-9 of a -> resume answered on b: " + resumedMs + " ms; upload completed on b: "
                    + completedMs + " ms (" + before.size() + "/" + chunks + " chunks acknowledged before the kill, "
                    + resent + " sent again, " + CHUNK / 1024 + " KiB chunks)");
        }
    }

    @Test
    @Order(4)
    void theJanitorSweepsOnOneInstanceTheHolderOfTheLease() throws Exception {
        String token = Api.adminToken(b);
        byte[] data = random(3 * CHUNK, 4);
        String session;
        try (WsClient node = node(c, token)) {
            Uploader up = new Uploader(node);
            session = up.start(serviceId, "idle", "idle/left.bin", 0, 1, data, CHUNK);
            up.chunk(session, 0, data, CHUNK);
        }
        Path part = shared.resolve("uploads/" + session + ".part");
        assertTrue(Files.exists(part));
        long deadline = System.nanoTime() + Duration.ofSeconds(IDLE_SECONDS + 90).toNanos();
        while (Files.exists(part)) {
            assertTrue(System.nanoTime() < deadline, "the idle session's partial file was deleted");
            AppServer.sleep(250);
        }
        try (WsClient node = node(b, token)) {
            assertEquals("SESSION_NOT_FOUND", Uploader.code(new Uploader(node).send("file.upload.resume", "{\"session_id\":\"" + session + "\"}")));
        }
        // one instance expired it: the one that holds the lease (a was killed: b or c took the lease over)
        String holder = leaseHolder("upload.cleanup");
        List<AppServer> swept = new ArrayList<>();
        for (AppServer s : List.of(a, b, c)) {
            if (s.log().lines().anyMatch(l -> l.contains("upload.sessions.expired") && l.contains(session))) {
                swept.add(s);
            }
        }
        assertEquals(1, swept.size(), "expired by exactly one instance");
        assertTrue(swept.get(0) != a, "not by the dead one");
        assertEquals(holder, peerId(swept.get(0), token), "by the holder of the lease");
    }

    private String leaseHolder(String name) throws Exception {
        try (Connection db = DriverManager.getConnection(a.databaseUrl(), Postgres.USER, Postgres.PASSWORD);
             PreparedStatement q = db.prepareStatement("SELECT holder FROM sb_lease WHERE name = ?")) {
            q.setString(1, name);
            try (ResultSet r = q.executeQuery()) {
                assertTrue(r.next(), "the lease " + name + " is in sb_lease");
                return r.getString(1);
            }
        }
    }

    private static String peerId(AppServer s, String token) {
        try (WsClient ws = WsClient.connect(s.ws("/api/ws?token=" + token))) {
            return ws.nextOfType("connected", T).getJsonObject("payload").getString("peer_id");
        }
    }

    private WsClient node(AppServer s) {
        return node(s, admin);
    }

    private static WsClient node(AppServer s, String token) {
        WsClient ws = WsClient.connect(s.ws("/api/ws?token=" + token));
        ws.nextOfType("connected", T);
        return ws;
    }

    private static WsClient vault(AppServer s) {
        WsClient v = WsClient.connect(s.ws("/ws"));
        v.send("{\"type\":\"subscribe\",\"topic\":\"file_operations\"}");
        v.next(m -> "subscribed".equals(m.getString("type")), T);
        return v;
    }

    private JsonObject openSession(AppServer s, String session) {
        return openSession(s, session, admin);
    }

    private static JsonObject openSession(AppServer s, String session, String token) {
        Api.Reply r = Api.call(s, "GET", "/api/uploads", token, null);
        assertEquals(200, r.status(), r.body());
        return r.json().getJsonArray("uploads").stream().map(v -> v.asJsonObject())
                .filter(u -> u.getString("session_id").equals(session)).findFirst()
                .orElseThrow(() -> new AssertionError("session " + session + " not listed on " + s.port() + ": " + r.body()));
    }

    /** The chunks the bitmap of {@code GET /api/uploads} says are stored. */
    private static Set<Integer> received(JsonObject listed) {
        byte[] bitmap = Base64.getDecoder().decode(listed.getString("received"));
        Set<Integer> in = new java.util.TreeSet<>();
        for (int i = 0; i < listed.getInt("total_chunks"); i++) {
            if ((bitmap[i >> 3] & (1 << (i & 7))) != 0) {
                in.add(i);
            }
        }
        return in;
    }

    private static Set<Integer> difference(Set<Integer> all, Set<Integer> minus) {
        Set<Integer> d = new java.util.TreeSet<>(all);
        d.removeAll(minus);
        return d;
    }

    private byte[] download(AppServer s, String path) throws Exception {
        return download(s, path, admin);
    }

    private byte[] download(AppServer s, String path, String token) throws Exception {
        HttpResponse<byte[]> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(s.http("/api/services/" + serviceId + "/files/" + path))
                        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), "download from " + s.port());
        return r.body();
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }
}
