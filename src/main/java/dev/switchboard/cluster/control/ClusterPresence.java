package dev.switchboard.cluster.control;

import dev.switchboard.cluster.entity.MemberJoined;
import dev.switchboard.cluster.entity.MemberLeft;
import dev.switchboard.common.JsonText;
import dev.switchboard.hub.entity.LocalPresenceChanged;
import dev.switchboard.hub.entity.PresenceChanged;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
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

    @Resource
    ManagedScheduledExecutorService scheduler;

    /**
     * In a cluster, how long a user whose last known connection closed stays online before the offline goes out.
     * Two instances' announcements travel apart, so a close on one can overtake the open on another that came
     * first (a client moving between instances, a second tab): within this grace the open cancels the offline and
     * nobody sees the user flicker. Alone, offline goes out at once.
     */
    @Inject
    @ConfigProperty(name = "cluster.presence.offline-grace-ms", defaultValue = "1000")
    long offlineGraceMs;

    /** Users whose offline waits out the grace: cancelled when they come back meanwhile. */
    private final Map<String, ScheduledFuture<?>> pendingOffline = new HashMap<>();

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
                    if (!was && !cancelOffline(c.user())) {
                        changed.fire(c);
                    }
                    kind = "open";
                }
                case CLOSED -> {
                    local.remove(c.user());
                    if (!anywhere(c.user())) {
                        offline(c);
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
        if (!was && !cancelOffline(user)) {
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
            offline(new PresenceChanged(user, PresenceChanged.OFFLINE, Instant.now(), last.metadataJson()));
        }
    }

    /** Fires the offline now when alone, else after the grace unless the user is back by then (lock held). */
    private void offline(PresenceChanged c) {
        if (!bus.clustered() || offlineGraceMs <= 0 || scheduler == null) {
            changed.fire(c);
            return;
        }
        ScheduledFuture<?> earlier = pendingOffline.remove(c.user());
        if (earlier != null) {
            earlier.cancel(false);
        }
        pendingOffline.put(c.user(), scheduler.schedule(() -> {
            synchronized (lock) {
                if (pendingOffline.remove(c.user()) != null && !anywhere(c.user())) {
                    changed.fire(c);
                }
            }
        }, offlineGraceMs, TimeUnit.MILLISECONDS));
    }

    /** @return whether an offline was waiting (then it is dropped: to everyone else the user never left) */
    private boolean cancelOffline(String user) {
        ScheduledFuture<?> pending = pendingOffline.remove(user);
        if (pending == null) {
            return false;
        }
        pending.cancel(false);
        return true;
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
