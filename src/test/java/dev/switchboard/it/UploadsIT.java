package dev.switchboard.it;


import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** spec/node.md, File Upload Messages, on the wire: data integrity, resumption, every error code. */
class UploadsIT {

    private static final int MB = 1024 * 1024;
    private static AppServer server;
    private static String admin;
    private static long serviceId;

    @BeforeAll
    static void setUp() {
        server = SharedServer.get();
        admin = Api.adminToken(server);
        Api.Reply r = Api.call(server, "POST", "/api/services", admin,
                "{\"name\":\"uploads-" + System.nanoTime() + "\",\"type\":\"DATA\",\"description\":\"files\"}");
        assertEquals(201, r.status(), r.body());
        serviceId = r.json().getJsonNumber("id").longValue();
    }

    private static WsClient connect(String token) {
        WsClient c = WsClient.connect(server.ws("/api/ws?token=" + token));
        c.nextOfType("connected", Duration.ofSeconds(10));
        return c;
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static byte[] download(String path, String range) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.http("/api/services/" + serviceId + "/files/" + path))
                .header("Authorization", "Bearer " + admin);
        if (range != null) {
            b.header("Range", range);
        }
        HttpResponse<byte[]> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(range == null ? 200 : 206, r.statusCode());
        return r.body();
    }

    @Test
    void fiftyMegabytesInRandomOrderWithDuplicatesArriveIntact() throws Exception {
        byte[] data = random(50 * MB + 12345, 1);
        try (WsClient c = connect(admin)) {
            Uploader up = new Uploader(c);
            String session = up.start(serviceId, "g-" + System.nanoTime(), "big/data.bin", 0, 1, data, MB);
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < 51; i++) {
                order.add(i);
            }
            Collections.shuffle(order, new Random(7));
            order.add(2, order.get(0));      // a duplicate early
            order.add(order.get(10));        // and one at the end
            JsonObject last = null;
            int progressFrames = 0;
            for (int i : order) {
                last = up.chunk(session, i, data, MB);
                if (last.getString("type").equals("file.upload.progress")) {
                    progressFrames++;
                }
            }
            // the last unseen chunk completes it: progress 100 %, then complete with the hash
            assertTrue(progressFrames >= 51);
            assertEquals(Uploader.sha256(data), up.complete(session).getString("file_hash"));
        }
        assertArrayEquals(data, download("big/data.bin", null));
        byte[] slice = download("big/data.bin", "bytes=1000-1999");
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 1000, 2000), slice);
        assertTrue(Api.call(server, "GET", "/api/services/" + serviceId + "/files", admin, null).body().contains("big/data.bin"));
        assertTrue(Files.list(server.dataDir().resolve("uploads")).noneMatch(p -> p.toString().contains("data.bin")));
        if (AppServer.kind().equals("payara")) {
            // Payara's fast path (transport/tyrus/); the other servers parse frames themselves
            String log = server.log();
            assertTrue(log.contains("tyrus.fast-unmask active"), "frames were unmasked before Tyrus parsed them (TyrusInput)");
            assertFalse(log.contains("tyrus.fast-unmask unavailable"), "TyrusInput reached Tyrus's input stream");
        }
    }

    /** Issue 12, item 2: uploads write, so they need admin or operator; refused, the file stays as it was. */
    @Test
    void aCallerWithoutAWritingRoleCannotUploadNorReplaceAFile() throws Exception {
        byte[] original = random(3000, 11);
        String path = "guarded/kept-" + System.nanoTime() + ".bin";
        String openSession;
        try (WsClient c = connect(admin)) {
            Uploader up = new Uploader(c);
            String s = up.start(serviceId, "g", path, 0, 1, original, 1000);
            for (int i = 0; i < 3; i++) {
                up.chunk(s, i, original, 1000);
            }
            up.complete(s);
            openSession = up.start(serviceId, "g", "guarded/open.bin", 0, 1, original, 1000);
        }
        String nobody = new Tokens(server).rs256(b -> b.subject("nobody-" + System.nanoTime())
                .claim("upn", "nobody-" + System.nanoTime()).claim("groups", java.util.List.of()));
        String viewer = new Tokens(server).rs256(b -> b.claim("groups", java.util.List.of("viewer")));
        byte[] replacement = random(3000, 12);
        for (String token : new String[] {nobody, viewer}) {
            try (WsClient c = connect(token)) {
                Uploader up = new Uploader(c);
                JsonObject refused = up.send("file.upload.start", Uploader.startPayload(serviceId, "g", "kept.bin", path, 0, 1,
                        replacement.length, 3, 1000));
                assertEquals("FORBIDDEN", Uploader.code(refused));
                assertEquals("", refused.getJsonObject("payload").getString("session_id"));
                assertFalse(refused.getJsonObject("payload").getString("error").isBlank());
                JsonObject chunk = up.chunk(openSession, 0, replacement, 1000);
                assertEquals("FORBIDDEN", Uploader.code(chunk), "every upload message writes");
                assertEquals(openSession, chunk.getJsonObject("payload").getString("session_id"));
                assertEquals("FORBIDDEN", Uploader.code(up.send("file.upload.pause", "{\"session_id\":\"" + openSession + "\"}")));
            }
        }
        assertArrayEquals(original, download(path, null), "the file is unchanged");
    }

    @Test
    void progressCountsEachChunkOnceAndASessionOutlivesItsConnection() throws Exception {
        byte[] data = random(10 * 1000, 2);
        String session;
        try (WsClient c = connect(admin)) {
            Uploader up = new Uploader(c);
            session = up.start(serviceId, "g", "progress/p.bin", 0, 1, data, 1000);
            JsonObject p = up.chunk(session, 3, data, 1000).getJsonObject("payload");
            assertEquals(1, p.getInt("chunks_received"));
            assertEquals(1000, p.getJsonNumber("bytes_uploaded").longValue());
            assertEquals(10.0, p.getJsonNumber("percentage").doubleValue(), 0.001);
            assertEquals(1, up.chunk(session, 3, data, 1000).getJsonObject("payload").getInt("chunks_received"), "a duplicate is not counted");
            // pause: chunks refused until resumed
            assertEquals("file.upload.progress", up.send("file.upload.pause", "{\"session_id\":\"" + session + "\"}").getString("type"));
            assertEquals("SESSION_PAUSED", Uploader.code(up.chunk(session, 4, data, 1000)));
        }
        // a new connection of the same user resumes it and finishes
        try (WsClient c = connect(admin)) {
            Uploader up = new Uploader(c);
            JsonObject resumed = up.send("file.upload.resume", "{\"session_id\":\"" + session + "\"}");
            assertEquals("file.upload.progress", resumed.getString("type"));
            assertEquals(1, resumed.getJsonObject("payload").getInt("chunks_received"));
            for (int i = 0; i < 10; i++) {
                up.chunk(session, i, data, 1000);
            }
            assertEquals(Uploader.sha256(data), up.complete(session).getString("file_hash"));
        }
        assertArrayEquals(data, download("progress/p.bin", null));
    }

    @Test
    void twoFilesInOneGroup() throws Exception {
        byte[] first = random(3000, 3);
        byte[] second = random(5000, 4);
        String group = "group-" + System.nanoTime();
        try (WsClient c = connect(admin)) {
            Uploader up = new Uploader(c);
            String a = up.start(serviceId, group, "group/a.bin", 0, 2, first, 1024);
            String b = up.start(serviceId, group, "group/b.bin", 1, 2, second, 1024);
            for (int i = 0; i < 5; i++) {
                if (i < 3) {
                    up.chunk(a, i, first, 1024);
                }
                up.chunk(b, i, second, 1024);
            }
            assertEquals(Uploader.sha256(first), up.complete(a).getString("file_hash"));
            assertEquals(Uploader.sha256(second), up.complete(b).getString("file_hash"));
        }
        assertArrayEquals(first, download("group/a.bin", null));
        assertArrayEquals(second, download("group/b.bin", null));
    }

    @Test
    void everyErrorCodeAndTheConnectionLives() throws Exception {
        byte[] data = random(4000, 5);
        try (WsClient c = connect(admin)) {
            Uploader up = new Uploader(c);
            String[] refusedStarts = {
                "null", "{}",
                Uploader.startPayload(999_999_999L, "g", "f", "x/f", 0, 1, 10, 1, 10),
                Uploader.startPayload(serviceId, "g", "f", "/etc/passwd", 0, 1, 10, 1, 10),
                Uploader.startPayload(serviceId, "g", "f", "../escape", 0, 1, 10, 1, 10),
                Uploader.startPayload(serviceId, "g", "f", "a/../../b", 0, 1, 10, 1, 10),
                Uploader.startPayload(serviceId, "g", "f", "a/./b", 0, 1, 10, 1, 10),
                Uploader.startPayload(serviceId, "g", "f", "tab\\there", 0, 1, 10, 1, 10),
                Uploader.startPayload(serviceId, "g", "f", "x".repeat(1100), 0, 1, 10, 1, 10),
                Uploader.startPayload(serviceId, "g", "f", "back\\\\slash", 0, 1, 10, 1, 10),
                Uploader.startPayload(serviceId, "g", "../f", "ok/f", 0, 1, 10, 1, 10),
                Uploader.startPayload(serviceId, "g".repeat(129), "f", "ok/f", 0, 1, 10, 1, 10),
                Uploader.startPayload(serviceId, "g", "f", "ok/f", 0, 1, 100L * MB, 100, MB),
                Uploader.startPayload(serviceId, "g", "f", "ok/f", 0, 1, 10, 5, 10),
                Uploader.startPayload(serviceId, "g", "f", "ok/f", 3, 2, 10, 1, 10),
                "{\"service_id\":\"1\",\"filename\":\"f\",\"file_path\":\"p\",\"file_index\":0,\"total_files\":1,\"total_size\":1,\"total_chunks\":1,\"chunk_size\":1}"};
            for (String payload : refusedStarts) {
                assertEquals("UPLOAD_START_FAILED", Uploader.code(up.send("file.upload.start", payload)), payload);
            }
            // U+0000 anywhere is refused before any message is read (PostgreSQL's text cannot hold it): the node
            // dialect's own error frame, naming the field, and the connection goes on
            c.send("{\"type\":\"file.upload.start\",\"payload\":" + Uploader.startPayload(serviceId, "g", "f", "nul\\u0000byte", 0, 1, 10, 1, 10)
                    + ",\"timestamp\":1}");
            JsonObject nul = c.nextOfType("error", Duration.ofSeconds(10)).getJsonObject("payload");
            assertEquals("INVALID_MESSAGE", nul.getString("code"), nul.toString());
            assertTrue(nul.getString("error").contains("file_path"), nul.toString());
            assertEquals("SESSION_NOT_FOUND", Uploader.code(up.send("file.upload.chunk", "{\"session_id\":\"nope\",\"chunk_index\":0,\"data\":\"AA==\"}")));
            assertEquals("SESSION_NOT_FOUND", Uploader.code(up.send("file.upload.resume", "{\"session_id\":\"nope\"}")));
            assertEquals("SESSION_NOT_FOUND", Uploader.code(up.send("file.upload.pause", "{}")));

            String session = up.start(serviceId, "g", "errors/e.bin", 0, 1, data, 1000);
            assertEquals("INVALID_ENCODING", Uploader.code(up.send("file.upload.chunk",
                    "{\"session_id\":\"" + session + "\",\"chunk_index\":0,\"data\":\"***not base64***\"}")));
            assertEquals("INVALID_ENCODING", Uploader.code(up.send("file.upload.chunk",
                    "{\"session_id\":\"" + session + "\",\"chunk_index\":0,\"data\":\"AAAA\"}")), "wrong size");
            assertEquals("INVALID_ENCODING", Uploader.code(up.chunk(session, 4, random(5000, 6), 1000)), "index out of range");
            // large chunks take the split-off decoding path: the same answers
            String bigJunk = "A".repeat(40_000) + "*";
            assertEquals("INVALID_ENCODING", Uploader.code(up.send("file.upload.chunk",
                    "{\"session_id\":\"" + session + "\",\"chunk_index\":0,\"data\":\"" + bigJunk + "\"}")), "large, not base64");
            assertEquals("INVALID_ENCODING", Uploader.code(up.send("file.upload.chunk",
                    "{\"session_id\":\"" + session + "\",\"chunk_index\":0,\"data\":\"" + "A".repeat(39_999) + "\u0141\"}")),
                    "large, a letter beyond Latin-1 whose low byte is 'A'");
            assertEquals("INVALID_ENCODING", Uploader.code(up.send("file.upload.chunk",
                    "{\"session_id\":\"" + session + "\",\"chunk_index\":0,\"data\":\"" + "A".repeat(40_000) + "\"}")), "large, wrong size");
            c.send("{\"type\":\"file.upload.chunk\",\"payload\":{\"session_id\":\"" + session + "\",\"data\":\"" + "A".repeat(40_000) + "\"}");
            assertEquals("INVALID_JSON", c.nextOfType("error", Duration.ofSeconds(10)).getJsonObject("payload").getString("code"),
                    "large and unterminated");
            assertEquals("INVALID_ENCODING", Uploader.code(up.send("file.upload.chunk",
                    "{\"session_id\":\"" + session + "\",\"chunk_index\":\"zero\",\"data\":\"AA==\"}")));

            // another user's session does not exist for them
            String mallory = new Tokens(server).rs256(b -> b);
            try (WsClient other = connect(mallory)) {
                Uploader theirs = new Uploader(other);
                assertEquals("SESSION_NOT_FOUND", Uploader.code(theirs.chunk(session, 0, data, 1000)));
                assertEquals("SESSION_NOT_FOUND", Uploader.code(theirs.send("file.upload.resume", "{\"session_id\":\"" + session + "\"}")));
            }

            // the stored data vanishes (disk trouble): writing fails, and the session cannot be restored
            Files.delete(server.dataDir().resolve("uploads/" + session + ".part"));
            assertEquals("WRITE_FAILED", Uploader.code(up.chunk(session, 0, data, 1000)));
            assertEquals("SESSION_RESTORE_FAILED", Uploader.code(up.send("file.upload.resume", "{\"session_id\":\"" + session + "\"}")));

            c.send("{\"type\":\"ping\"}");
            c.nextOfType("pong", Duration.ofSeconds(10));
        }
    }

    @Test
    void twoUploadsToOnePathSettleOnOneWholeFile() throws Exception {
        byte[] a = random(2 * MB, 8);
        byte[] b = random(2 * MB, 9);
        try (WsClient ca = connect(admin); WsClient cb = connect(admin)) {
            Uploader ua = new Uploader(ca);
            Uploader ub = new Uploader(cb);
            String sa = ua.start(serviceId, "race", "race/same.bin", 0, 1, a, 256 * 1024);
            String sb = ub.start(serviceId, "race", "race/same.bin", 0, 1, b, 256 * 1024);
            for (int i = 0; i < 8; i++) {
                ua.chunk(sa, i, a, 256 * 1024);
                ub.chunk(sb, i, b, 256 * 1024);
            }
            ua.complete(sa);
            ub.complete(sb);
        }
        byte[] stored = download("race/same.bin", null);
        // the later completion (b's last chunk went last) replaced the earlier one, whole: never a mix
        assertArrayEquals(b, stored);
    }

    @Test
    void anIdleSessionExpiresAndItsPartialFileIsDeleted() throws Exception {
        byte[] data = random(4000, 11);
        try (WsClient c = connect(admin)) {
            Uploader up = new Uploader(c);
            String session = up.start(serviceId, "idle", "idle/i.bin", 0, 1, data, 1000);
            up.chunk(session, 0, data, 1000);
            java.nio.file.Path part = server.dataDir().resolve("uploads/" + session + ".part");
            assertTrue(Files.exists(part));
            // the shared server expires sessions idle for 8 s, sweeping every 2 s
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (Files.exists(part)) {
                assertTrue(System.nanoTime() < deadline, "the partial file was deleted");
                AppServer.sleep(250);
            }
            assertEquals("SESSION_NOT_FOUND", Uploader.code(up.send("file.upload.resume", "{\"session_id\":\"" + session + "\"}")));
        }
    }

    @Test
    void sessionsPerUserAndTheServiceQuotaAreBounded() throws Exception {
        // a user of their own: the shared server allows 16 open sessions each
        String user = new Tokens(server).rs256(b -> b.subject("bounded-" + System.nanoTime()).claim("upn", "bounded-" + System.nanoTime()));
        long fresh = Api.call(server, "POST", "/api/services", admin, "{\"name\":\"quota-" + System.nanoTime()
                + "\",\"type\":\"DATA\",\"description\":\"q\"}").json().getJsonNumber("id").longValue();
        try (WsClient c = connect(user)) {
            Uploader up = new Uploader(c);
            // the quota (200 MiB) counts what open sessions announced: three of 60 MiB fit, a fourth does not
            for (int i = 0; i < 3; i++) {
                assertEquals("file.upload.progress", up.send("file.upload.start",
                        Uploader.startPayload(fresh, "q", "f", "q/" + i, 0, 1, 60L * MB, 60, MB)).getString("type"));
            }
            JsonObject refused = up.send("file.upload.start", Uploader.startPayload(fresh, "q", "f", "q/3", 0, 1, 60L * MB, 60, MB));
            assertEquals("UPLOAD_START_FAILED", Uploader.code(refused));
            assertTrue(refused.getJsonObject("payload").getString("error").contains("quota"), refused.toString());
            for (int i = 3; i < 16; i++) {
                assertEquals("file.upload.progress", up.send("file.upload.start",
                        Uploader.startPayload(serviceId, "s", "f", "s/" + i, 0, 1, 10, 1, 10)).getString("type"));
            }
            JsonObject tooMany = up.send("file.upload.start", Uploader.startPayload(serviceId, "s", "f", "s/16", 0, 1, 10, 1, 10));
            assertEquals("UPLOAD_START_FAILED", Uploader.code(tooMany));
            assertTrue(tooMany.getJsonObject("payload").getString("error").contains("Too many"), tooMany.toString());
        }
    }

    @Test
    void deletingAFileRemovesIt() throws Exception {
        byte[] data = random(100, 12);
        try (WsClient c = connect(admin)) {
            Uploader up = new Uploader(c);
            String session = up.start(serviceId, "del", "del/d.bin", 0, 1, data, 100);
            up.chunk(session, 0, data, 100);
            up.complete(session);
        }
        assertEquals(204, Api.call(server, "DELETE", "/api/services/" + serviceId + "/files/del/d.bin", admin, null).status());
        assertEquals(404, Api.call(server, "GET", "/api/services/" + serviceId + "/files/del/d.bin", admin, null).status());
    }

    @Test
    void downloadAndDeleteErrors() {
        assertEquals(404, Api.call(server, "GET", "/api/services/" + serviceId + "/files/no/such.bin", admin, null).status());
        assertEquals(400, Api.call(server, "GET", "/api/services/" + serviceId + "/files/a/%2e%2e/%2e%2e/etc/passwd", admin, null).status());
        assertEquals(404, Api.call(server, "GET", "/api/services/999999999/files", admin, null).status());
        assertEquals(401, Api.call(server, "GET", "/api/services/" + serviceId + "/files", null, null).status());
        assertEquals(404, Api.call(server, "DELETE", "/api/services/" + serviceId + "/files/no/such.bin", admin, null).status());
    }
}
