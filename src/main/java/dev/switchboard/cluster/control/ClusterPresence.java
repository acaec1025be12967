package dev.switchboard.cluster.control;

import dev.switchboard.cluster.entity.MemberJoined;
import dev.switchboard.cluster.entity.MemberLeft;
import dev.switchboard.common.JsonText;
import dev.switchboard.hub.entity.LocalPresenceChanged;
import dev.switchboard.hub.entity.PresenceChanged;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * A user's presence over every instance: {@code online} at the first connection anywhere, {@code offline} at the
 * last, a status set anywhere reaches everyone. Each instance tells the others of its own users' changes (first and
 * last connection here, status set here) and keeps, per user, which instances have them; from that it fires
 * {@link PresenceChanged} for its own clients. A member that leaves (goodbye or expiry) takes its users with it;
 * a member that joins gets this instance's users and sends its own ({@code presall}, which replaces what was known of
 * its sender, so a backplane outage leaves nothing stale). Alone, every local change is fired as it is.
 * <p>
 * Changes are fired synchronously while the one lock is held, so the events of one user keep their order; the
 * observers only queue frames.
 */
@ApplicationScoped
public class ClusterPresence {

    private static final Logger LOG = Logger.getLogger(ClusterPresence.class.getName());
    static final String CHANGE = "pres";
    static final String SNAPSHOT = "presall";

    @Inject
    ClusterBus bus;

    @Inject
    Event<PresenceChanged> changed;

    private record State(String status, String metadataJson) {
    }

    private final Object lock = new Object();
    /** This instance's users. */
    private final Map<String, State> local = new HashMap<>();
    /** Other instances' users: user → member → state. */
    private final Map<String, Map<String, State>> remote = new HashMap<>();

    void listen() {
        bus.on(CHANGE, this::onRemoteChange);
        bus.on(SNAPSHOT, this::onSnapshot);
    }

    private boolean anywhere(String user) {
        return local.containsKey(user) || remote.containsKey(user);
    }

    void onLocal(@Observes LocalPresenceChanged e) {
        PresenceChanged c = e.change();
        synchronized (lock) {
            String kind;
            switch (e.kind()) {
                case OPENED -> {
                    boolean was = anywhere(c.user());
                    local.put(c.user(), new State(c.status(), c.metadataJson()));
                    if (!was) {
                        changed.fire(c);
                    }
                    kind = "open";
                }
                case CLOSED -> {
                    local.remove(c.user());
                    if (!anywhere(c.user())) {
                        changed.fire(c);
                    }
                    kind = "close";
                }
                default -> {
                    local.put(c.user(), new State(c.status(), c.metadataJson()));
                    changed.fire(c);
                    kind = "set";
                }
            }
            bus.publish(bus.message(CHANGE).add("e", kind).add("u", c.user()).add("s", c.status())
                    .add("m", c.metadataJson()));
        }
    }

    private void onRemoteChange(JsonObject m) {
        String member = m.getString("o");
        String user = m.getString("u");
        State state = new State(m.getString("s"), m.getString("m", "{}"));
        synchronized (lock) {
            switch (m.getString("e")) {
                case "open" -> remoteOpened(member, user, state);
                case "close" -> remoteClosed(member, user);
                default -> {
                    if (anywhere(user)) {
                        remote.computeIfAbsent(user, u -> new HashMap<>()).put(member, state);
                        changed.fire(new PresenceChanged(user, state.status(), Instant.now(), state.metadataJson()));
                    }
                }
            }
        }
    }

    private void remoteOpened(String member, String user, State state) {
        boolean was = anywhere(user);
        remote.computeIfAbsent(user, u -> new HashMap<>()).put(member, state);
        if (!was) {
            changed.fire(new PresenceChanged(user, PresenceChanged.ONLINE, Instant.now(), state.metadataJson()));
        }
    }

    private void remoteClosed(String member, String user) {
        Map<String, State> where = remote.get(user);
        if (where == null) {
            return;
        }
        State last = where.remove(member);
        if (where.isEmpty()) {
            remote.remove(user);
        }
        if (last != null && !anywhere(user)) {
            changed.fire(new PresenceChanged(user, PresenceChanged.OFFLINE, Instant.now(), last.metadataJson()));
        }
    }

    /** A member's users, all of them: whatever was known of that member before is replaced. */
    private void onSnapshot(JsonObject m) {
        String member = m.getString("o");
        Map<String, State> now = new HashMap<>();
        for (JsonValue v : m.getJsonArray("users")) {
            JsonObject u = v.asJsonObject();
            now.put(u.getString("u"), new State(u.getString("s"), u.getString("m", "{}")));
        }
        synchronized (lock) {
            Set<String> before = usersOf(member);
            for (String user : before) {
                if (!now.containsKey(user)) {
                    remoteClosed(member, user);
                }
            }
            for (var e : now.entrySet()) {
                if (!before.contains(e.getKey())) {
                    remoteOpened(member, e.getKey(), e.getValue());
                } else {
                    remote.get(e.getKey()).put(member, e.getValue());
                }
            }
        }
        if (m.getBoolean("want", false)) {
            sendSnapshot(member, false);
        }
        LOG.fine(() -> "cluster.presence.snapshot from=" + member + " users=" + now.size());
    }

    private Set<String> usersOf(String member) {
        Set<String> users = new HashSet<>();
        remote.forEach((user, where) -> {
            if (where.containsKey(member)) {
                users.add(user);
            }
        });
        return users;
    }

    private void sendSnapshot(String member, boolean want) {
        var users = JsonText.array();
        synchronized (lock) {
            local.forEach((u, s) -> users.add(JsonText.object().add("u", u).add("s", s.status()).add("m", s.metadataJson())));
        }
        bus.send(member, bus.message(SNAPSHOT).add("users", users).add("want", want));
    }

    void onJoined(@ObservesAsync MemberJoined joined) {
        if (!joined.self()) {
            sendSnapshot(joined.member().id(), true);
        }
    }

    /** The users of a member that left are offline here, unless they are still connected somewhere else. */
    void onLeft(@Observes MemberLeft left) {
        if (left.self()) {
            return;
        }
        String member = left.member().id();
        synchronized (lock) {
            for (String user : usersOf(member)) {
                remoteClosed(member, user);
            }
        }
    }

    /** Whether another instance has told this one that the user is connected there. */
    public boolean onlineElsewhere(String user) {
        synchronized (lock) {
            return remote.containsKey(user);
        }
    }

    /** Users online anywhere in the cluster, as this instance knows it. */
    public int onlineUsers() {
        synchronized (lock) {
            Set<String> all = new HashSet<>(local.keySet());
            all.addAll(remote.keySet());
            return all.size();
        }
    }
}
