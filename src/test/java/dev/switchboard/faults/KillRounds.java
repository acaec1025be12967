package dev.switchboard.faults;

import dev.switchboard.it.Api;
import dev.switchboard.it.AppServer;
import dev.switchboard.it.Tokens;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * kill -9 rounds: in each, an upload, a running workflow execution, direct messages queued for an offline rtc user
 * and workspace chat messages are all in flight when the server is killed; it is started again on the same data
 * folder and database. Then: the upload resumes to a byte-identical file with every acknowledged chunk kept; the
 * execution completes with its finished job not run again; every acknowledged queued message is delivered exactly
 * once, in order; no chat message is stored twice, and none someone saw (message:new) is missing from the history.
 * With {@code -Dfaults.chat-announce=write-behind} (the chat's documented faster path) seen-but-lost messages are
 * the documented loss: counted, not failed.
 */
final class KillRounds {

    static final int CHUNK = 64 * 1024;
    private final FaultSuite suite;
    private final boolean writeBehind = "write-behind".equals(System.getProperty("faults.chat-announce"));
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** The chat mode the server runs in the first round (the suite may come from the write-behind chat figure). */
    private final boolean firstRoundWriteBehind;

    KillRounds(FaultSuite suite, boolean firstRoundWriteBehind) {
        this.suite = suite;
        this.firstRoundWriteBehind = firstRoundWriteBehind;
    }

    void run(AppServer server) throws Exception {
        int rounds = (int) suite.prop("kill.rounds", 1, 20);
        String token = Api.adminToken(server);
        Path bin = server.dataDir().getParent().resolve("kill-bin").toAbsolutePath();
        script(bin, "quick", "f=$(cat); echo run >> \"$f\"; echo quick");
        script(bin, "slow", "f=$(cat); echo run >> \"$f\"; sleep 5; echo slow");
        service(server, token, "{\"name\":\"quick\",\"type\":\"STANDALONE\",\"description\":\"q\",\"config\":{\"executable\":\"" + bin.resolve("quick") + "\"}}");
        service(server, token, "{\"name\":\"slow\",\"type\":\"STANDALONE\",\"description\":\"s\",\"config\":{\"executable\":\"" + bin.resolve("slow") + "\"}}");
        long files = service(server, token, "{\"name\":\"kill-files\",\"type\":\"DATA\",\"description\":\"files\"}");
        suite.report.append("## kill -9 rounds\n\n");
        suite.report.append("Each round: an upload (80 chunks of 64 KiB, paced), a 3-job workflow whose middle job sleeps, direct messages "
                + "to an offline rtc user and 3 chat posters all in flight; `kill -9`; start on the same data and database.\n\n");
        suite.report.append("| round | chunks acked before kill | kept after | file identical | execution | job runs a/b/c | DMs acked | delivered once | "
                + "chat seen | chat lost (seen, not stored) | chat doubled | restart s |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        int logFrom = server.log().length();
        long[] lostTotal = new long[2];
        long[] seenTotal = new long[2];
        for (int round = 1; round <= rounds; round++) {
            boolean wb = round == 1 ? firstRoundWriteBehind : writeBehind;
            long[] chat = round(server, round, files, bin, wb);
            seenTotal[wb ? 1 : 0] += chat[0];
            lostTotal[wb ? 1 : 0] += chat[1];
        }
        // reported, not failed: a process killed mid-transaction leaves its successor things to recover and say
        ServerLog.Scan scan = ServerLog.scan(server.log().substring(logFrom));
        suite.report.append(String.format("%nServer log over the rounds (the kills and restarts included): %d WARNING, %d SEVERE records, "
                + "%d with an exception or a trace%s%n", scan.warnings(), scan.severe(), scan.faults().size(),
                scan.faults().isEmpty() ? "." : ", the first: " + scan.faults().stream().limit(3).map(f -> "`" + f.substring(0, Math.min(300, f.length())) + "`")
                        .reduce((x, y) -> x + "; " + y).orElse("")));
        suite.report.append(String.format("%nChat over %d round(s): with `after-store`, %,d messages seen by a client before the kill, %,d of "
                + "them not in the history after it; with `write-behind`, %,d seen, %,d lost.%n%n", rounds, seenTotal[0], lostTotal[0],
                seenTotal[1], lostTotal[1]));
    }

    private long[] round(AppServer server, int round, long files, Path bin, boolean writeBehind) throws Exception {
        String token = Api.adminToken(server);
        String r = "r" + round + "-" + System.nanoTime() % 100000;
        // the workflow: a (quick) -> b (slow) -> c (quick), each appending to its own file
        Path a = bin.resolve(r + ".a");
        Path b = bin.resolve(r + ".b");
        Path c = bin.resolve(r + ".c");
        Api.Reply wf = Api.call(server, "POST", "/api/workflows", token, "{\"name\":\"kill-" + r + "\",\"jobs\":["
                + "{\"name\":\"a\",\"service\":\"quick\",\"input\":\"" + a + "\"},"
                + "{\"name\":\"b\",\"service\":\"slow\",\"input\":\"" + b + "\"},"
                + "{\"name\":\"c\",\"service\":\"quick\",\"input\":\"" + c + "\"}],"
                + "\"dependencies\":{\"b\":[\"a\"],\"c\":[\"b\"]}}");
        long workflow = json(wf).getJsonNumber("id").longValue();

        // the upload
        byte[] data = new byte[80 * CHUNK - 123];
        new Random(round).nextBytes(data);
        int chunks = (data.length + CHUNK - 1) / CHUNK;
        // the uploads' own user: the admin may have used up its open upload sessions (upload.max-sessions-per-user)
        // before, e.g. in the fuzz, whose mutated file.upload.start frames open real sessions once a service 1 exists
        String uploader0 = "kill-uploader-" + r;
        FaultSocket up = FaultSocket.open(server.port(), "/api/ws?token=" + uploaderToken(server, uploader0));
        JsonObject started = upload(up, "file.upload.start", "{\"service_id\":" + files + ",\"upload_group_id\":\"" + r + "\",\"filename\":\"f.bin\","
                + "\"file_path\":\"kill/" + r + ".bin\",\"file_index\":0,\"total_files\":1,\"total_size\":" + data.length
                + ",\"total_chunks\":" + chunks + ",\"chunk_size\":" + CHUNK + "}");
        if (!started.getString("type").equals("file.upload.progress")) {
            // a round without its upload in flight tests nothing of it: fail now, with the server's answer
            up.close();
            suite.failures.add("kill round " + round + ": the upload did not start: " + started);
            return new long[2];
        }
        String session = started.getJsonObject("payload").getString("session_id");
        Set<Integer> acked = ConcurrentHashMap.newKeySet();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < chunks; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(round * 7L));
        Thread uploader = new Thread(() -> {
            try {
                for (int i : order) {
                    JsonObject answer = upload(up, "file.upload.chunk", chunk(session, i, data));
                    if (answer.getString("type").equals("file.upload.progress")) {
                        acked.add(i);
                    }
                    Thread.sleep(40);
                }
            } catch (Exception e) {
                // the server died under it
            }
        });

        // direct messages to an offline user: each acknowledged by Error 404 queued:true
        String target = "offline-" + r;
        List<String> dmAcked = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        FaultSocket dm = FaultSocket.open(server.port(), "/rtc/ws?token=" + token);
        Thread dms = new Thread(() -> {
            try {
                for (int i = 0; !stop.get() && i < 400; i++) {
                    String id = "dm-" + r + "-" + i;
                    dm.sendText("{\"type\":\"DirectMessage\",\"id\":\"" + id + "\",\"data\":{\"target_user\":\"" + target
                            + "\",\"payload\":{\"n\":" + i + "}}}");
                    while (true) {
                        FaultSocket.Frame f = dm.next(30_000);
                        if (f == null || f == FaultSocket.EOF || f.opcode() == 8) {
                            return;
                        }
                        String t = f.text();
                        if (t.contains("\"queued\":true") && t.contains(id)) {
                            dmAcked.add(id);
                            break;
                        }
                        if (t.contains("\"type\":\"Error\"") && t.contains(id)) {
                            break;
                        }
                    }
                    Thread.sleep(10);
                }
            } catch (Exception e) {
                // the server died under it
            }
        });

        // chat: a watcher sees message:new; three posters (default rate limit: a burst of 100 each)
        Set<String> seen = ConcurrentHashMap.newKeySet();
        FaultSocket watch = FaultSocket.open(server.port(), "/workspace/ws?username=watch-" + r);
        watch.listener = f -> {
            String t = f.text();
            if (t.contains("\"type\":\"message:new\"") && t.contains("kill " + r + " ")) {
                JsonObject m = json(t);
                seen.add(m.getJsonObject("data").getString("id"));
            }
        };
        List<Thread> posters = new ArrayList<>();
        List<FaultSocket> posterSockets = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            FaultSocket ws = FaultSocket.open(server.port(), "/workspace/ws?username=poster" + p + "-" + r);
            posterSockets.add(ws);
            int pp = p;
            posters.add(new Thread(() -> {
                try {
                    for (int i = 0; !stop.get() && i < 95; i++) {
                        ws.sendText("{\"type\":\"message:send\",\"text\":\"kill " + r + " p" + pp + " " + i + "\"}");
                        Thread.sleep(25);
                    }
                } catch (Exception e) {
                    // the server died under it
                }
            }));
        }

        long execution = json(Api.call(server, "POST", "/api/workflows/" + workflow + "/executions", token, null))
                .getJsonNumber("execution_id").longValue();
        uploader.start();
        dms.start();
        posters.forEach(Thread::start);
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!(Files.exists(b) && acked.size() >= 10 && dmAcked.size() >= 20 && seen.size() >= 60)) {
            if (System.nanoTime() > deadline) {
                suite.failures.add("kill round " + round + ": never got everything in flight (b started " + Files.exists(b)
                        + ", chunks " + acked.size() + ", DMs " + dmAcked.size() + ", chat " + seen.size() + ")");
                break;
            }
            Thread.sleep(20);
        }
        server.kill();
        stop.set(true);
        uploader.join(30_000);
        dms.join(30_000);
        for (Thread t : posters) {
            t.join(30_000);
        }
        Set<Integer> ackedBefore = new HashSet<>(acked);
        List<String> dmBefore = new ArrayList<>(dmAcked);
        Set<String> seenBefore = new HashSet<>(seen);
        up.close();
        dm.close();
        watch.close();
        posterSockets.forEach(FaultSocket::close);

        long t0 = System.nanoTime();
        server.start();
        double restart = (System.nanoTime() - t0) / 1e9;
        token = Api.adminToken(server);

        // the upload: resume, every acknowledged chunk kept, the rest sent, identical file
        int kept;
        boolean identical;
        try (FaultSocket again = FaultSocket.open(server.port(), "/api/ws?token=" + uploaderToken(server, uploader0))) {
            JsonObject progress = upload(again, "file.upload.resume", "{\"session_id\":\"" + session + "\"}");
            kept = progress.getJsonObject("payload").getInt("chunks_received", -1);
            if (kept < ackedBefore.size()) {
                suite.failures.add("kill round " + round + ": " + ackedBefore.size() + " chunks acknowledged, " + kept + " kept: " + progress);
            }
            JsonObject last = null;
            for (int i = 0; i < chunks; i++) {
                if (!ackedBefore.contains(i)) {
                    last = upload(again, "file.upload.chunk", chunk(session, i, data));
                }
            }
            String complete = last != null && last.getString("type").equals("file.upload.complete") ? last.toString() : null;
            FaultSocket.Frame f;
            // pushes keep arriving within any poll's timeout: without an overall deadline a completion that never
            // comes would hang the suite instead of failing the round
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (complete == null && System.nanoTime() - until < 0 && (f = again.next(30_000)) != null && f.opcode() == 1) {
                if (f.text().contains("file.upload.complete")) {
                    complete = f.text();
                }
            }
            HttpResponse<byte[]> file = http.send(HttpRequest.newBuilder(server.http("/api/services/" + files + "/files/kill/" + r + ".bin"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofByteArray());
            identical = complete != null && complete.contains(sha256(data)) && java.util.Arrays.equals(data, file.body());
            if (!identical) {
                suite.failures.add("kill round " + round + ": the resumed upload is not the file sent (complete: " + complete + ", status " + file.statusCode() + ")");
            }
        }

        // the execution: completed, a not run again, b run again, c once
        JsonObject done = null;
        deadline = System.nanoTime() + 180_000_000_000L;
        while (System.nanoTime() < deadline) {
            done = json(Api.call(server, "GET", "/api/executions/" + execution, token, null));
            String s = done.getString("status");
            if (!s.equals("running") && !s.equals("pending")) {
                break;
            }
            Thread.sleep(250);
        }
        int ra = runs(a);
        int rb = runs(b);
        int rc = runs(c);
        String status = done == null ? "?" : done.getString("status");
        if (!status.equals("completed") || ra != 1 || rc != 1 || rb < 1) {
            suite.failures.add("kill round " + round + ": execution " + status + ", runs a/b/c " + ra + "/" + rb + "/" + rc);
        }

        // the queued messages: each acknowledged one delivered exactly once, in order
        String userToken = new Tokens(server).rs256(cl -> cl.subject(target).claim("upn", target).claim("groups", List.of("user")));
        List<String> delivered = new ArrayList<>();
        try (FaultSocket to = FaultSocket.open(server.port(), "/rtc/ws?token=" + userToken)) {
            // the backlog follows the welcome, perhaps after a Pong: read until every acknowledged one came, then 3 s of quiet
            FaultSocket.Frame f;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // a bound, as for the upload above
            while (System.nanoTime() - until < 0 && (f = to.next(delivered.containsAll(dmBefore) ? 3000 : 30_000)) != null
                    && f.opcode() == 1) {
                String t = f.text();
                if (t.contains("\"type\":\"DirectMessage\"")) {
                    delivered.add(json(t).getJsonObject("data").getJsonObject("metadata").getString("message_id", "?"));
                }
            }
        }
        Map<String, Integer> counts = new HashMap<>();
        delivered.forEach(id -> counts.merge(id, 1, Integer::sum));
        long missingDm = dmBefore.stream().filter(id -> !counts.containsKey(id)).count();
        long doubledDm = counts.values().stream().filter(n -> n > 1).count();
        boolean ordered = true;
        for (int i = 1; i < delivered.size(); i++) {
            ordered &= seq(delivered.get(i)) > seq(delivered.get(i - 1));
        }
        if (missingDm > 0 || doubledDm > 0 || !ordered) {
            suite.failures.add("kill round " + round + ": queued DMs acked " + dmBefore.size() + ", missing " + missingDm
                    + ", doubled " + doubledDm + ", in order " + ordered + " (delivered " + delivered.size() + ")");
        }

        // chat: what the history holds of this round
        Set<String> stored = new HashSet<>();
        Map<String, Integer> texts = new HashMap<>();
        String before = "";
        for (int page = 0; page < 100; page++) {
            JsonObject reply = json(Api.call(server, "GET", "/api/workspace/messages?limit=200" + before, token, null));
            var list = reply.getJsonArray("messages");
            for (JsonValue v : list) {
                JsonObject m = v.asJsonObject();
                if (m.getString("text").startsWith("kill " + r + " ")) {
                    stored.add(m.getString("id"));
                    texts.merge(m.getString("text"), 1, Integer::sum);
                }
            }
            if (!reply.getBoolean("hasMore") || list.isEmpty()) {
                break;
            }
            before = "&before=" + list.getJsonObject(list.size() - 1).getString("id");
        }
        long lost = seenBefore.stream().filter(id -> !stored.contains(id)).count();
        long doubledChat = texts.values().stream().filter(n -> n > 1).count();
        if (lost > 0 && !writeBehind) {
            suite.failures.add("kill round " + round + ": " + lost + " chat messages someone saw are not in the history");
        }
        if (doubledChat > 0) {
            suite.failures.add("kill round " + round + ": " + doubledChat + " chat messages stored twice");
        }
        suite.report.append(String.format("| %d | %d | %d | %s | %s | %d/%d/%d | %d | %s | %s | %d | %d | %d | %.1f |%n", round, ackedBefore.size(), kept,
                identical ? "yes" : "NO", status, ra, rb, rc, dmBefore.size(), missingDm == 0 && doubledDm == 0 && ordered ? "yes" : "NO",
                writeBehind ? "write-behind" : "after-store",
                seenBefore.size(), lost, doubledChat, restart));
        return new long[] {seenBefore.size(), lost};
    }

    /** A node token of a user of its own (the server's key signs it, as an identity provider's would). */
    private static String uploaderToken(AppServer server, String user) throws Exception {
        return new Tokens(server).rs256(cl -> cl.subject(user).claim("upn", user));
    }

    private static long seq(String id) {
        return Long.parseLong(id.substring(id.lastIndexOf('-') + 1));
    }

    private static int runs(Path p) throws Exception {
        return Files.exists(p) ? Files.readAllLines(p).size() : 0;
    }

    static JsonObject upload(FaultSocket ws, String type, String payload) throws Exception {
        ws.sendText("{\"type\":\"" + type + "\",\"payload\":" + payload + ",\"timestamp\":1}");
        while (true) {
            FaultSocket.Frame f = ws.next(60_000);
            if (f == null || f == FaultSocket.EOF || f.opcode() == 8) {
                throw new java.io.IOException("no answer to " + type);
            }
            String t = f.text();
            if (t.contains("\"type\":\"file.upload.")) {
                return json(t);
            }
        }
    }

    static String chunk(String session, int index, byte[] data) {
        int from = index * CHUNK;
        byte[] part = java.util.Arrays.copyOfRange(data, from, Math.min(data.length, from + CHUNK));
        return "{\"session_id\":\"" + session + "\",\"chunk_index\":" + index + ",\"data\":\"" + Base64.getEncoder().encodeToString(part) + "\"}";
    }

    static String sha256(byte[] data) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    private static JsonObject json(Api.Reply r) {
        if (r.status() / 100 != 2) {
            throw new AssertionError("HTTP " + r.status() + ": " + r.body());
        }
        return json(r.body());
    }

    static JsonObject json(String text) {
        try (var reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }

    static long service(AppServer server, String token, String body) {
        return json(Api.call(server, "POST", "/api/services", token, body)).getJsonNumber("id").longValue();
    }

    private static void script(Path dir, String name, String body) throws Exception {
        Files.createDirectories(dir);
        Path file = dir.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
