package dev.switchboard.workflow.control;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A job graph: names and their upstream jobs. Finds the first fault (unknown job, cycle) and the downstream closure. */
public final class WorkflowGraph {

    private final Map<String, List<String>> upstream;

    public WorkflowGraph(Map<String, List<String>> upstream) {
        this.upstream = new LinkedHashMap<>(upstream);
    }

    /** @return a description of the first fault, or empty when the graph is a valid DAG */
    public Optional<String> fault() {
        for (var e : upstream.entrySet()) {
            for (String dep : e.getValue()) {
                if (!upstream.containsKey(dep)) {
                    return Optional.of("job '" + e.getKey() + "' depends on unknown job '" + dep + "'");
                }
                if (dep.equals(e.getKey())) {
                    return Optional.of("job '" + dep + "' depends on itself");
                }
            }
        }
        Map<String, Integer> state = new HashMap<>();
        for (String job : upstream.keySet()) {
            Deque<String> path = new ArrayDeque<>();
            Optional<String> cycle = visit(job, state, path);
            if (cycle.isPresent()) {
                return cycle;
            }
        }
        return Optional.empty();
    }

    private Optional<String> visit(String job, Map<String, Integer> state, Deque<String> path) {
        Integer s = state.get(job);
        if (s != null && s == 2) {
            return Optional.empty();
        }
        path.addLast(job);
        if (s != null && s == 1) {
            List<String> cycle = new ArrayList<>(path);
            return Optional.of("cycle: " + String.join(" -> ", cycle.subList(cycle.indexOf(job), cycle.size())));
        }
        state.put(job, 1);
        for (String dep : upstream.get(job)) {
            Optional<String> found = visit(dep, state, path);
            if (found.isPresent()) {
                return found;
            }
        }
        path.removeLast();
        state.put(job, 2);
        return Optional.empty();
    }

    /** Every job that (transitively) depends on {@code job}. */
    public Set<String> downstreamOf(String job) {
        Set<String> found = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(job));
        while (!todo.isEmpty()) {
            String current = todo.removeFirst();
            for (var e : upstream.entrySet()) {
                if (e.getValue().contains(current) && found.add(e.getKey())) {
                    todo.addLast(e.getKey());
                }
            }
        }
        return found;
    }

    public List<String> upstreamOf(String job) {
        return upstream.getOrDefault(job, List.of());
    }

    public Set<String> jobs() {
        return new HashSet<>(upstream.keySet());
    }
}
