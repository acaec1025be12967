package dev.switchboard.cluster.control;

import dev.switchboard.cluster.entity.MemberJoined;
import dev.switchboard.cluster.entity.MemberLeft;
import dev.switchboard.common.JsonText;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Counts per name that every instance keeps of its own and shows the others (the workspace's connections per user
 * name): each instance publishes its own count of a name when it changes, and its whole table to a member that
 * joins (which replaces what was known of it); a member that leaves takes its counts with it. A count read here is
 * what the others said last, so two instances admitting at the same moment can both pass a limit: the figures
 * converge within one message's delivery, they are not a distributed lock.
 */
@ApplicationScoped
public class Tallies {

    static final String COUNT = "tally";
    static final String SNAPSHOT = "tallies";

    @Inject
    ClusterBus bus;

    private final Object lock = new Object();
    /** space → name → this instance's count. */
    private final Map<String, Map<String, Integer>> local = new HashMap<>();
    /** space → name → member → its count. */
    private final Map<String, Map<String, Map<String, Integer>>> remote = new HashMap<>();

    void listen() {
        bus.on(COUNT, this::onCount);
        bus.on(SNAPSHOT, this::onSnapshot);
    }

    /** This instance's count of {@code name} in {@code space} is now {@code count} (0 forgets it). */
    public void set(String space, String name, int count) {
        synchronized (lock) {
            Map<String, Integer> mine = local.computeIfAbsent(space, s -> new HashMap<>());
            if (count <= 0) {
                mine.remove(name);
            } else {
                mine.put(name, count);
            }
            bus.publish(bus.message(COUNT).add("sp", space).add("n", name).add("c", Math.max(0, count)));
        }
    }

    /** The other instances' count of {@code name}. */
    public int elsewhere(String space, String name) {
        synchronized (lock) {
            Map<String, Map<String, Integer>> names = remote.get(space);
            Map<String, Integer> byMember = names == null ? null : names.get(name);
            return byMember == null ? 0 : byMember.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** Names with a count anywhere, this instance's {@code here} included. */
    public int distinctWith(String space, Set<String> here) {
        synchronized (lock) {
            Set<String> all = new HashSet<>(here);
            Map<String, Map<String, Integer>> names = remote.get(space);
            if (names != null) {
                all.addAll(names.keySet());
            }
            return all.size();
        }
    }

    private void put(String space, String name, String member, int count) {
        Map<String, Map<String, Integer>> names = remote.computeIfAbsent(space, s -> new HashMap<>());
        if (count <= 0) {
            Map<String, Integer> byMember = names.get(name);
            if (byMember != null) {
                byMember.remove(member);
                if (byMember.isEmpty()) {
                    names.remove(name);
                }
            }
        } else {
            names.computeIfAbsent(name, n -> new HashMap<>()).put(member, count);
        }
    }

    private void forget(String member) {
        for (Map<String, Map<String, Integer>> names : remote.values()) {
            names.values().forEach(byMember -> byMember.remove(member));
            names.values().removeIf(Map::isEmpty);
        }
    }

    private void onCount(JsonObject m) {
        synchronized (lock) {
            put(m.getString("sp"), m.getString("n"), m.getString("o"), m.getInt("c"));
        }
    }

    private void onSnapshot(JsonObject m) {
        String member = m.getString("o");
        synchronized (lock) {
            forget(member);
            for (JsonValue v : m.getJsonArray("t")) {
                JsonObject t = v.asJsonObject();
                put(t.getString("sp"), t.getString("n"), member, t.getInt("c"));
            }
        }
        if (m.getBoolean("want", false)) {
            sendSnapshot(member, false);
        }
    }

    private void sendSnapshot(String member, boolean want) {
        var all = JsonText.array();
        synchronized (lock) {
            local.forEach((space, names) -> names.forEach((name, count) ->
                    all.add(JsonText.object().add("sp", space).add("n", name).add("c", count))));
        }
        bus.send(member, bus.message(SNAPSHOT).add("t", all).add("want", want));
    }

    void onJoined(@ObservesAsync MemberJoined joined) {
        if (!joined.self()) {
            sendSnapshot(joined.member().id(), true);
        }
    }

    void onLeft(@Observes MemberLeft left) {
        if (!left.self()) {
            synchronized (lock) {
                forget(left.member().id());
            }
        }
    }
}
