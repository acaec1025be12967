package dev.switchboard.hub.control;

import dev.switchboard.hub.entity.LocalPresenceChanged;
import dev.switchboard.hub.entity.PresenceChanged;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Who is online, per user and on this instance: a user is {@code online} from the first connection's open to the
 * last one's close, may set {@code away}/{@code online} with metadata in between, and is {@code offline} after.
 * Every change fires {@link LocalPresenceChanged} synchronously while the user's stripe lock is held, so that the
 * events of one user are observed in the order the changes happened (observers only queue frames: never block).
 */
public final class Presence {

    private static final String NO_METADATA = "{}";

    /** A user's state; read and changed only under the user's stripe lock, so its set is changed in place. */
    private static final class State {
        final Set<String> connections = new HashSet<>();
        String metadataJson = NO_METADATA;
    }

    private final ConcurrentHashMap<String, State> users = new ConcurrentHashMap<>();
    private final Object[] stripes = new Object[64];

    private final Consumer<LocalPresenceChanged> changed;

    /** @param changed told of every change, synchronously, under the user's lock (must not block) */
    public Presence(Consumer<LocalPresenceChanged> changed) {
        this.changed = changed;
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Object();
        }
    }

    private Object stripe(String user) {
        return stripes[Math.floorMod(user.hashCode(), stripes.length)];
    }

    public void opened(String user, String connectionId) {
        synchronized (stripe(user)) {
            State s = users.get(user);
            if (s == null) {
                s = new State();
                s.connections.add(connectionId);
                users.put(user, s);
                changed.accept(new LocalPresenceChanged(new PresenceChanged(user, PresenceChanged.ONLINE, Instant.now(), NO_METADATA),
                        LocalPresenceChanged.Kind.OPENED));
                return;
            }
            s.connections.add(connectionId);
        }
    }

    public void closed(String user, String connectionId) {
        synchronized (stripe(user)) {
            State s = users.get(user);
            if (s == null || !s.connections.remove(connectionId) || !s.connections.isEmpty()) {
                return;
            }
            users.remove(user);
            changed.accept(new LocalPresenceChanged(new PresenceChanged(user, PresenceChanged.OFFLINE, Instant.now(), s.metadataJson),
                    LocalPresenceChanged.Kind.CLOSED));
        }
    }

    /**
     * A connected user sets a status ({@code online} or {@code away}) and metadata (a JSON object as text).
     * @return false when the user has no open connection here (nothing changes)
     */
    public boolean set(String user, String status, String metadataJson) {
        synchronized (stripe(user)) {
            State s = users.get(user);
            if (s == null) {
                return false;
            }
            s.metadataJson = metadataJson;
            changed.accept(new LocalPresenceChanged(new PresenceChanged(user, status, Instant.now(), metadataJson),
                    LocalPresenceChanged.Kind.SET));
            return true;
        }
    }
}
