package dev.switchboard.faults;

import dev.switchboard.it.AppServer;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fault suite in the test command: the same code as {@code src/faults/run.sh} with small counts (fuzzing every
 * dialect, floods at the default limits, stalled subscribers, one kill -9 round, a 30-second soak). It judges
 * behaviour only, never a time: no server fault in the logs, no bystander lost, documented closes, answered errors,
 * stalled clients closed while the others get everything, nothing acknowledged lost or doubled across a kill, no
 * message dropped or doubled while connections churn and every connection gone once its client left.
 */
class FaultSuiteIT {

    @Test
    void hostileClientsAndCrashesBreakNothing() throws Exception {
        FaultSuite suite = new FaultSuite();
        List<String> parts = List.of(System.getProperty("faults.parts", "soak,fuzz,stall,chat,kill").split(","));
        // -Dfaults.chat-announce=write-behind: both servers with the chat's faster, crash-lossy path (to compare)
        Map<String, String> chat = new HashMap<>();
        String announce = System.getProperty("faults.chat-announce");
        if (announce != null) {
            chat.put("CHAT_STORE_ANNOUNCE", announce);
            suite.report.append("Chat storage: `chat.store.announce=" + announce + "`.\n\n");
        }
        try {
            // one server (two boots in the short run): rate limits raised for the fuzzer, the stalled clients and the
            // chat figure; the kill rounds restart it with the defaults, at which the floods then run
            Map<String, String> env = new HashMap<>(FaultSuite.raisedLimits());
            env.putAll(chat);
            try (AppServer server = AppServer.create("faults", env)) {
                server.start();
                if (parts.contains("soak")) {
                    // first, on the fresh server: its memory series starts from nothing else's leftovers
                    suite.soak(server);
                }
                if (parts.contains("fuzz")) {
                    suite.fuzz(server);
                }
                if (parts.contains("stall")) {
                    suite.stall(server);
                }
                if (parts.contains("chat")) {
                    suite.chatThroughput(server);
                    if (announce == null && suite.longMode) {
                        // the same with the faster, crash-lossy path, for the comparison (long run only: one more boot)
                        server.env("CHAT_STORE_ANNOUNCE", "write-behind");
                        server.stop();
                        server.start();
                        suite.report.append("With `chat.store.announce=write-behind`:\n\n");
                        suite.chatThroughput(server);
                        server.env("CHAT_STORE_ANNOUNCE", null);
                    }
                }
                FaultSuite.raisedLimits().keySet().forEach(k -> server.env(k, null));
                if (parts.contains("kill")) {
                    // its first round runs on the server as it is now (write-behind after the chat comparison)
                    suite.kill(server, "write-behind".equals(announce) || (parts.contains("chat") && announce == null && suite.longMode));
                } else if (parts.contains("fuzz")) {
                    server.stop();
                    server.start();
                }
                if (parts.contains("fuzz")) {
                    suite.floods(server);
                }
            }
        } finally {
            suite.writeReport();
        }
        assertTrue(suite.failures.isEmpty(), String.join("\n", suite.failures));
    }
}
