package dev.switchboard.it;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kill -9} of the server in the middle of an execution and of an upload: after a restart the execution
 * finishes without running completed jobs again, and the upload resumes on a new connection to an identical file.
 */
class ResumeIT {

    @Test
    void anExecutionAndAnUploadInterruptedByKill9BothResume() throws Exception {
        try (AppServer server = AppServer.create("resume", Map.of())) {
            server.start();
            String token = Api.adminToken(server);
            Path work = server.dataDir().getParent().resolve("resume-bin").toAbsolutePath();
            String quick = Workflows.script(work, "quick", "f=$(cat); echo run >> \"$f\"; echo quick");
            String slow = Workflows.script(work, "slow", "f=$(cat); echo run >> \"$f\"; sleep 6; echo slow");
            Workflows.standalone(server, token, "quick", quick);
            Workflows.standalone(server, token, "slow", slow);
            Path a = work.resolve("a.runs");
            Path b = work.resolve("b.runs");
            Path c = work.resolve("c.runs");
            long workflow = Workflows.workflow(server, token, "{\"name\":\"resume\",\"jobs\":["
                    + "{\"name\":\"a\",\"service\":\"quick\",\"input\":\"" + a + "\"},"
                    + "{\"name\":\"b\",\"service\":\"slow\",\"input\":\"" + b + "\"},"
                    + "{\"name\":\"c\",\"service\":\"quick\",\"input\":\"" + c + "\"}],"
                    + "\"dependencies\":{\"b\":[\"a\"],\"c\":[\"b\"]}}");
            // an upload in progress on its own connection: 160 chunks in random order, paced
            long dataService = Api.call(server, "POST", "/api/services", token,
                    "{\"name\":\"files\",\"type\":\"DATA\",\"description\":\"files\"}").json().getJsonNumber("id").longValue();
            byte[] data = new byte[160 * 256 * 1024 - 777];
            new java.util.Random(42).nextBytes(data);
            java.util.Set<Integer> acked = java.util.concurrent.ConcurrentHashMap.newKeySet();
            WsClient uploaderSocket = WsClient.connect(server.ws("/api/ws?token=" + token));
            uploaderSocket.nextOfType("connected", java.time.Duration.ofSeconds(10));
            Uploader uploader = new Uploader(uploaderSocket);
            String session = uploader.start(dataService, "crash", "crash/data.bin", 0, 1, data, 256 * 1024);
            java.util.List<Integer> order = new java.util.ArrayList<>();
            for (int i = 0; i < 160; i++) {
                order.add(i);
            }
            java.util.Collections.shuffle(order, new java.util.Random(3));
            Thread upload = new Thread(() -> {
                try {
                    for (int i : order) {
                        JsonObject answer = uploader.chunk(session, i, data, 256 * 1024);
                        if (answer.getString("type").equals("file.upload.progress")) {
                            acked.add(i);
                        }
                        Thread.sleep(25);
                    }
                } catch (Throwable e) {
                    // the server died under it: expected
                }
            });
            upload.start();

            long execution = Workflows.start(server, token, workflow);
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!Files.exists(b) || acked.size() < 20) {
                assertTrue(System.nanoTime() < deadline, "job b started and the upload is under way");
                AppServer.sleep(20);
            }
            server.kill();
            upload.join(30_000);
            uploaderSocket.close();
            assertTrue(acked.size() < 160, "killed in the middle of the upload (" + acked.size() + " chunks acknowledged)");

            server.start();
            String again = Api.adminToken(server);
            JsonObject done = null;
            deadline = System.nanoTime() + 90_000_000_000L;
            while (System.nanoTime() < deadline) {
                done = Workflows.execution(server, again, execution);
                if (!done.getString("status").equals("running") && !done.getString("status").equals("pending")) {
                    break;
                }
                AppServer.sleep(250);
            }
            assertEquals("completed", done.getString("status"), done.toString());
            assertEquals(1, Files.readAllLines(a).size(), "a had completed before the kill and did not run again");
            assertEquals(2, Files.readAllLines(b).size(), "b was interrupted and ran again");
            assertEquals(1, Files.readAllLines(c).size());
            for (String job : new String[] {"a", "b", "c"}) {
                assertEquals("completed", Workflows.job(done, job).getString("status"), job);
            }

            // the upload: resume on a new connection, send what was not acknowledged, get the identical file
            try (WsClient c2 = WsClient.connect(server.ws("/api/ws?token=" + again))) {
                c2.nextOfType("connected", java.time.Duration.ofSeconds(10));
                Uploader resumed = new Uploader(c2);
                JsonObject progress = resumed.send("file.upload.resume", "{\"session_id\":\"" + session + "\"}");
                assertEquals("file.upload.progress", progress.getString("type"), progress.toString());
                assertTrue(progress.getJsonObject("payload").getInt("chunks_received") >= acked.size(),
                        "every acknowledged chunk survived the kill: " + progress);
                for (int i = 0; i < 160; i++) {
                    if (!acked.contains(i)) {
                        resumed.chunk(session, i, data, 256 * 1024);
                    }
                }
                assertEquals(Uploader.sha256(data), resumed.complete(session).getString("file_hash"));
            }
            java.net.http.HttpResponse<byte[]> file = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build().send(
                    java.net.http.HttpRequest.newBuilder(server.http("/api/services/" + dataService + "/files/crash/data.bin"))
                            .header("Authorization", "Bearer " + again).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            org.junit.jupiter.api.Assertions.assertArrayEquals(data, file.body());
        }
    }
}
