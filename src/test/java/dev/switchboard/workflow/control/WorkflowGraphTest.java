package dev.switchboard.workflow.control;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkflowGraphTest {

    private static Map<String, List<String>> graph(Object... pairs) {
        Map<String, List<String>> g = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<String> deps = (List<String>) pairs[i + 1];
            g.put((String) pairs[i], deps);
        }
        return g;
    }

    @Test
    void aDiamondIsValidAndKnowsWhatIsDownstream() {
        WorkflowGraph g = new WorkflowGraph(graph("a", List.of(), "b", List.of("a"), "c", List.of("a"),
                "d", List.of("b", "c"), "e", List.of("d")));
        assertTrue(g.fault().isEmpty());
        assertEquals(Set.of("d", "e"), g.downstreamOf("b"));
        assertEquals(Set.of("b", "c", "d", "e"), g.downstreamOf("a"));
        assertEquals(Set.of(), g.downstreamOf("e"));
    }

    @Test
    void namesTheCycle() {
        WorkflowGraph g = new WorkflowGraph(graph("a", List.of("c"), "b", List.of("a"), "c", List.of("b"), "d", List.of()));
        String fault = g.fault().orElseThrow();
        assertTrue(fault.startsWith("cycle: "), fault);
        assertTrue(fault.contains("a") && fault.contains("b") && fault.contains("c") && !fault.contains("d"), fault);
    }

    @Test
    void unknownAndSelfDependencies() {
        assertEquals("job 'a' depends on unknown job 'x'", new WorkflowGraph(graph("a", List.of("x"))).fault().orElseThrow());
        assertEquals("job 'a' depends on itself", new WorkflowGraph(graph("a", List.of("a"))).fault().orElseThrow());
    }
}
