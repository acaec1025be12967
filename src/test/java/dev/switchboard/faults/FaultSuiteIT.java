package dev.switchboard.faults;

import dev.switchboard.it.PayaraServer;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fault suite in the test command: the same code as {@code src/faults/run.sh} with small counts (fuzzing every
 * dialect, floods at the default limits, stalled subscribers, one kill -9 round). It judges behaviour only, never a
 * time: no server fault in the logs, no bystander lost, documented closes, answered errors, stalled clients closed
 * while the others get everything, nothing acknowledged lost or doubled across a kill.
 */
class FaultSuiteIT {

    @Test
    void hostileClientsAndCrashesBreakNothing() throws Exception {
        FaultSuite suite = new FaultSuite();
        List<String> parts = List.of(System.getProperty("faults.parts", "fuzz,stall,chat,kill").split(","));
        // -Dfaults.chat-announce=write-behind: both servers with the chat's faster, crash-lossy path (to compare)
        Map<String, String> chat = new HashMap<>();
        String announce = System.getProperty("faults.chat-announce");
        if (announce != null) {
            chat.put("CHAT_STORE_ANNOUNCE", announce);
            suite.report.append("Chat storage: `chat.store.announce=" + announce + "`.\n\n");
        }
        try {
            if (parts.contains("fuzz") || parts.contains("stall") || parts.contains("chat")) {
                Map<String, String> env = new HashMap<>(FaultSuite.raisedLimits());
                env.putAll(chat);
                try (PayaraServer raised = new PayaraServer("faults", env)) {
                    raised.start();
                    if (parts.contains("fuzz")) {
                        suite.fuzz(raised);
                    }
                    if (parts.contains("stall")) {
                        suite.stall(raised);
                    }
                    if (parts.contains("chat")) {
                        suite.chatThroughput(raised);
                    }
                }
            }
            if (parts.contains("fuzz") || parts.contains("kill")) {
                try (PayaraServer defaults = new PayaraServer("faults-kill", chat)) {
                    defaults.start();
                    if (parts.contains("fuzz")) {
                        suite.floods(defaults);
                    }
                    if (parts.contains("kill")) {
                        suite.kill(defaults);
                    }
                }
            }
        } finally {
            suite.writeReport();
        }
        assertTrue(suite.failures.isEmpty(), String.join("\n", suite.failures));
    }
}
