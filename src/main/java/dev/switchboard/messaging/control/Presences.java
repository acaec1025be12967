package dev.switchboard.messaging.control;

import dev.switchboard.messaging.entity.PresenceChanged;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is online, per user and on this instance: a user is {@code online} from the first connection's open to the
 * last one's close, may set {@code away}/{@code online} with metadata in between, and is {@code offline} after.
 * Every change fires {@link PresenceChanged} (synchronously, after the state was updated, outside any lock).
 */
@ApplicationScoped
public class Presences {

    private static final String NO_METADATA = "{}";

    /** One user's state; replaced, never mutated, so a compute can decide atomically what changed. */
    private record State(Set<String> connections, String status, String metadataJson) {
    }

    private final ConcurrentHashMap<String, State> users = new ConcurrentHashMap<>();

    @Inject
    Event<PresenceChanged> changed;

    public void opened(String user, String connectionId) {
        boolean[] first = {false};
        State after = users.compute(user, (u, s) -> {
            Set<String> c = s == null ? new HashSet<>() : new HashSet<>(s.connections());
            first[0] = c.isEmpty();
            c.add(connectionId);
            return s == null ? new State(Set.copyOf(c), PresenceChanged.ONLINE, NO_METADATA) : new State(Set.copyOf(c), s.status(), s.metadataJson());
        });
        if (first[0]) {
            changed.fire(new PresenceChanged(user, after.status(), Instant.now(), after.metadataJson()));
        }
    }

    public void closed(String user, String connectionId) {
        boolean[] last = {false};
        String[] metadata = {NO_METADATA};
        users.computeIfPresent(user, (u, s) -> {
            if (!s.connections().contains(connectionId)) {
                return s;
            }
            Set<String> c = new HashSet<>(s.connections());
            c.remove(connectionId);
            if (c.isEmpty()) {
                last[0] = true;
                metadata[0] = s.metadataJson();
                return null;
            }
            return new State(Set.copyOf(c), s.status(), s.metadataJson());
        });
        if (last[0]) {
            changed.fire(new PresenceChanged(user, PresenceChanged.OFFLINE, Instant.now(), metadata[0]));
        }
    }

    /**
     * A connected user sets a status ({@code online} or {@code away}) and metadata (a JSON object as text).
     * @return false when the user has no open connection here (nothing changes)
     */
    public boolean set(String user, String status, String metadataJson) {
        State after = users.computeIfPresent(user, (u, s) -> new State(s.connections(), status, metadataJson));
        if (after == null) {
            return false;
        }
        changed.fire(new PresenceChanged(user, status, Instant.now(), metadataJson));
        return true;
    }

    /** The current status of a user on this instance: online, away, or offline. */
    public String statusOf(String user) {
        State s = users.get(user);
        return s == null ? PresenceChanged.OFFLINE : s.status();
    }
}
