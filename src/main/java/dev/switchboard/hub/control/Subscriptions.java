package dev.switchboard.hub.control;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Who is subscribed to what, as a trie over dot-separated topic segments, so that matching a published topic
 * costs the depth of the topic (times the wildcard branches on the way), never a scan of every pattern.
 * <ul>
 *   <li>{@code chat.general} matches only {@code chat.general};</li>
 *   <li>{@code *} matches exactly one segment: {@code updates.*} matches {@code updates.a}, not {@code updates.a.b};</li>
 *   <li>{@code #} as the last segment matches one or more segments: {@code updates.#} matches {@code updates.a}
 *       and {@code updates.a.b}, not {@code updates}.</li>
 * </ul>
 * Reads (matching) take no lock; writes are serialised per instance, which keeps pruning of empty nodes simple.
 * A connection subscribed by two patterns that both match one topic is delivered to once.
 */
public final class Subscriptions {

    public static final String ONE = "*";
    public static final String REST = "#";

    private static final class Node {
        final ConcurrentHashMap<String, Node> children = new ConcurrentHashMap<>();
        final Set<Connection> exact = ConcurrentHashMap.newKeySet();
        final Set<Connection> rest = ConcurrentHashMap.newKeySet();

        boolean isEmpty() {
            return children.isEmpty() && exact.isEmpty() && rest.isEmpty();
        }
    }

    private final Node root = new Node();
    private final ConcurrentHashMap<Connection, Set<String>> byConnection = new ConcurrentHashMap<>();
    private final int maxPerConnection;

    public Subscriptions(int maxPerConnection) {
        this.maxPerConnection = maxPerConnection;
    }

    /** Why a pattern was refused, or {@code null} when it is well-formed: non-blank segments, {@code #} only last. */
    public static String invalid(String pattern, int maxLength) {
        if (pattern == null || pattern.isBlank()) {
            return "Topic must be a non-empty string";
        }
        if (pattern.length() > maxLength) {
            return "Topic longer than " + maxLength + " characters";
        }
        String[] segments = pattern.split("\\.", -1);
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            if (s.isEmpty()) {
                return "Topic has an empty segment: " + pattern;
            }
            if (s.equals(REST) && i != segments.length - 1) {
                return "'#' may only be the last segment: " + pattern;
            }
            if (s.length() > 1 && (s.contains(ONE) || s.contains(REST))) {
                return "Wildcards must be whole segments: " + pattern;
            }
        }
        return null;
    }

    public enum Outcome { ADDED, ALREADY, LIMIT }

    public synchronized Outcome subscribe(Connection connection, String pattern) {
        Set<String> mine = byConnection.computeIfAbsent(connection, c -> ConcurrentHashMap.newKeySet());
        if (mine.contains(pattern)) {
            return Outcome.ALREADY;
        }
        if (mine.size() >= maxPerConnection) {
            return Outcome.LIMIT;
        }
        String[] segments = pattern.split("\\.");
        Node node = root;
        int last = segments.length - 1;
        for (int i = 0; i < last; i++) {
            node = node.children.computeIfAbsent(segments[i], s -> new Node());
        }
        if (segments[last].equals(REST)) {
            node.rest.add(connection);
        } else {
            node.children.computeIfAbsent(segments[last], s -> new Node()).exact.add(connection);
        }
        mine.add(pattern);
        return Outcome.ADDED;
    }

    public synchronized boolean unsubscribe(Connection connection, String pattern) {
        Set<String> mine = byConnection.get(connection);
        if (mine == null || !mine.remove(pattern)) {
            return false;
        }
        if (mine.isEmpty()) {
            byConnection.remove(connection);
        }
        remove(root, pattern.split("\\."), 0, connection);
        return true;
    }

    /** Drops every subscription of a connection (it closed). */
    public synchronized void unsubscribeAll(Connection connection) {
        Set<String> mine = byConnection.remove(connection);
        if (mine != null) {
            for (String pattern : mine) {
                remove(root, pattern.split("\\."), 0, connection);
            }
        }
    }

    /** @return whether {@code node} became empty and may be pruned by its parent */
    private static boolean remove(Node node, String[] segments, int i, Connection connection) {
        int last = segments.length - 1;
        if (i == last && segments[i].equals(REST)) {
            node.rest.remove(connection);
        } else {
            Node child = node.children.get(segments[i]);
            if (child != null) {
                boolean prune = i == last ? removeExact(child, connection) : remove(child, segments, i + 1, connection);
                if (prune) {
                    node.children.remove(segments[i], child);
                }
            }
        }
        return node.isEmpty();
    }

    private static boolean removeExact(Node node, Connection connection) {
        node.exact.remove(connection);
        return node.isEmpty();
    }

    /** The patterns a connection holds, in no order. */
    public Collection<String> of(Connection connection) {
        Set<String> mine = byConnection.get(connection);
        return mine == null ? Set.of() : Collections.unmodifiableSet(mine);
    }

    public int countOf(Connection connection) {
        Set<String> mine = byConnection.get(connection);
        return mine == null ? 0 : mine.size();
    }

    /** How many connections hold exactly this pattern (for per-topic figures of exact topics). */
    public int holdersOf(String pattern) {
        String[] segments = pattern.split("\\.");
        Node node = root;
        int last = segments.length - 1;
        for (int i = 0; i < last && node != null; i++) {
            node = node.children.get(segments[i]);
        }
        if (node == null) {
            return 0;
        }
        if (segments[last].equals(REST)) {
            return node.rest.size();
        }
        Node leaf = node.children.get(segments[last]);
        return leaf == null ? 0 : leaf.exact.size();
    }

    /** Calls {@code each} once for every open connection whose patterns match the concrete {@code topic}. */
    public void forEachMatch(String topic, Consumer<Connection> each) {
        List<Set<Connection>> hits = new ArrayList<>(4);
        collect(root, topic.split("\\."), 0, hits);
        if (hits.size() == 1) {
            for (Connection c : hits.get(0)) {
                each.accept(c);
            }
            return;
        }
        Map<Connection, Boolean> seen = new IdentityHashMap<>();
        for (Set<Connection> set : hits) {
            for (Connection c : set) {
                if (seen.put(c, Boolean.TRUE) == null) {
                    each.accept(c);
                }
            }
        }
    }

    private static void collect(Node node, String[] segments, int i, List<Set<Connection>> hits) {
        if (!node.rest.isEmpty()) {
            hits.add(node.rest);
        }
        step(node.children.get(segments[i]), segments, i, hits);
        if (!segments[i].equals(ONE)) {
            step(node.children.get(ONE), segments, i, hits);
        }
    }

    private static void step(Node next, String[] segments, int i, List<Set<Connection>> hits) {
        if (next == null) {
            return;
        }
        if (i == segments.length - 1) {
            if (!next.exact.isEmpty()) {
                hits.add(next.exact);
            }
        } else {
            collect(next, segments, i + 1, hits);
        }
    }
}
