package dev.switchboard.it;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code kill -9} of the server in the middle of an execution: after a restart it finishes, completed jobs not run again. */
class ResumeIT {

    @Test
    void anExecutionInterruptedByKill9ResumesWithoutRerunningCompletedJobs() throws Exception {
        try (PayaraServer server = new PayaraServer("resume", Map.of())) {
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
            long execution = Workflows.start(server, token, workflow);
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!Files.exists(b)) {
                assertTrue(System.nanoTime() < deadline, "job b started");
                PayaraServer.sleep(50);
            }
            server.kill();

            server.start();
            String again = Api.adminToken(server);
            JsonObject done = null;
            deadline = System.nanoTime() + 90_000_000_000L;
            while (System.nanoTime() < deadline) {
                done = Workflows.execution(server, again, execution);
                if (!done.getString("status").equals("running") && !done.getString("status").equals("pending")) {
                    break;
                }
                PayaraServer.sleep(250);
            }
            assertEquals("completed", done.getString("status"), done.toString());
            assertEquals(1, Files.readAllLines(a).size(), "a had completed before the kill and did not run again");
            assertEquals(2, Files.readAllLines(b).size(), "b was interrupted and ran again");
            assertEquals(1, Files.readAllLines(c).size());
            for (String job : new String[] {"a", "b", "c"}) {
                assertEquals("completed", Workflows.job(done, job).getString("status"), job);
            }
        }
    }
}
