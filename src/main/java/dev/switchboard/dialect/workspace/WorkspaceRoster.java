package dev.switchboard.dialect.workspace;

import dev.switchboard.cluster.control.Tallies;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is connected to the workspace under which name. Names are compared ignoring case, so that "Alice" cannot
 * pass for "alice". A name in use by a token-authenticated connection belongs to that user: anonymous
 * connections cannot take it, and anonymous connections holding it when its owner arrives are evicted.
 * Every decision for one name is taken atomically (one {@code compute} per name).
 * <p>
 * Clustered, the seats of the other instances count too (their figures as last announced, see {@link Tallies}):
 * the per-name limit and "a token user has this name" hold over the cluster, up to two instances admitting at the
 * same moment; anonymous holders on another instance are not evicted when the owner connects here.
 */
@ApplicationScoped
public class WorkspaceRoster {

    enum Outcome { ADMITTED, TAKEN, TOO_MANY }

    /** The outcome, and the anonymous members to evict because the name's owner arrived. */
    record Admission(Outcome outcome, List<Member> evicted) {
    }

    /** Something the roster can evict: a connection of the workspace. */
    interface Member {
        void evict(String reason);
    }

    private record Seat(Member member, boolean authenticated) {
    }

    static final String SEATS = "workspace.seats";
    static final String OWNERS = "workspace.owners";

    private final ConcurrentHashMap<String, List<Seat>> byName = new ConcurrentHashMap<>();

    /** Null in plain unit tests: no cluster. */
    @Inject
    Tallies tallies;

    private int elsewhere(String space, String key) {
        return tallies == null ? 0 : tallies.elsewhere(space, key);
    }

    private void announce(String key, List<Seat> seats) {
        if (tallies != null) {
            tallies.set(SEATS, key, seats == null ? 0 : seats.size());
            tallies.set(OWNERS, key, seats == null ? 0 : (int) seats.stream().filter(Seat::authenticated).count());
        }
    }

    Admission admit(Member member, String name, boolean authenticated, int maxPerUser) {
        Outcome[] outcome = {Outcome.ADMITTED};
        List<Member> evicted = new ArrayList<>();
        byName.compute(key(name), (k, seats) -> {
            List<Seat> s = seats == null ? new ArrayList<>(2) : seats;
            boolean owned = s.stream().anyMatch(Seat::authenticated) || elsewhere(OWNERS, k) > 0;
            if (authenticated) {
                if (s.stream().filter(Seat::authenticated).count() + elsewhere(OWNERS, k) >= maxPerUser) {
                    outcome[0] = Outcome.TOO_MANY;
                    return seats;
                }
                s.removeIf(seat -> {
                    if (!seat.authenticated()) {
                        evicted.add(seat.member());
                        return true;
                    }
                    return false;
                });
            } else if (owned) {
                outcome[0] = Outcome.TAKEN;
                return seats;
            } else if (s.size() + elsewhere(SEATS, k) >= maxPerUser) {
                outcome[0] = Outcome.TOO_MANY;
                return seats;
            }
            s.add(new Seat(member, authenticated));
            announce(k, s);
            return s;
        });
        return new Admission(outcome[0], evicted);
    }

    void leave(Member member, String name) {
        byName.computeIfPresent(key(name), (k, seats) -> {
            seats.removeIf(seat -> seat.member() == member);
            announce(k, seats);
            return seats.isEmpty() ? null : seats;
        });
    }

    /** Connections of this name on the other instances. */
    int elsewhere(String name) {
        return elsewhere(SEATS, key(name));
    }

    /** Distinct names connected now, on every instance. */
    int users() {
        return tallies == null ? byName.size() : tallies.distinctWith(SEATS, byName.keySet());
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
