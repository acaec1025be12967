package dev.switchboard.dialect.workspace;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is connected to the workspace under which name. Names are compared ignoring case, so that "Alice" cannot
 * pass for "alice". A name in use by a token-authenticated connection belongs to that user: anonymous
 * connections cannot take it, and anonymous connections holding it when its owner arrives are evicted.
 * Every decision for one name is taken atomically (one {@code compute} per name).
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

    private final ConcurrentHashMap<String, List<Seat>> byName = new ConcurrentHashMap<>();

    Admission admit(Member member, String name, boolean authenticated, int maxPerUser) {
        Outcome[] outcome = {Outcome.ADMITTED};
        List<Member> evicted = new ArrayList<>();
        byName.compute(key(name), (k, seats) -> {
            List<Seat> s = seats == null ? new ArrayList<>(2) : seats;
            boolean owned = s.stream().anyMatch(Seat::authenticated);
            if (authenticated) {
                if (s.stream().filter(Seat::authenticated).count() >= maxPerUser) {
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
            } else if (s.size() >= maxPerUser) {
                outcome[0] = Outcome.TOO_MANY;
                return seats;
            }
            s.add(new Seat(member, authenticated));
            return s;
        });
        return new Admission(outcome[0], evicted);
    }

    void leave(Member member, String name) {
        byName.computeIfPresent(key(name), (k, seats) -> {
            seats.removeIf(seat -> seat.member() == member);
            return seats.isEmpty() ? null : seats;
        });
    }

    /** Distinct names connected now. */
    int users() {
        return byName.size();
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
