package dev.switchboard.faults;

import dev.switchboard.it.PayaraServer;
import org.junit.jupiter.api.Test;

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
        List<String> parts = List.of(System.getProperty("faults.parts", "fuzz,stall,kill").split(","));
        try (PayaraServer raised = new PayaraServer("faults", FaultSuite.raisedLimits())) {
            raised.start();
            if (parts.contains("fuzz")) {
                suite.fuzz(raised);
            }
            if (parts.contains("stall")) {
                suite.stall(raised);
            }
        }
        if (parts.contains("fuzz") || parts.contains("kill")) {
            try (PayaraServer defaults = new PayaraServer("faults-kill", Map.of())) {
                defaults.start();
                if (parts.contains("fuzz")) {
                    suite.floods(defaults);
                }
                if (parts.contains("kill")) {
                    suite.kill(defaults);
                }
            }
        }
        suite.writeReport();
        assertTrue(suite.failures.isEmpty(), String.join("\n", suite.failures));
    }
}
