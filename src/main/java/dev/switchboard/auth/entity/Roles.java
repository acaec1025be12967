package dev.switchboard.auth.entity;

import java.security.Principal;
import java.util.List;

/**
 * The roles (token groups) Switchboard knows. Writes (REST and WebSocket alike) need one of {@link #WRITERS}; the
 * same callers see secret-bearing service config unmasked, since they could write it anyway.
 */
public final class Roles {

    public static final String ADMIN = "admin";
    public static final String OPERATOR = "operator";
    public static final List<String> WRITERS = List.of(ADMIN, OPERATOR);

    private Roles() {
    }

    /** Whether a caller is a verified token holder in a writing group; anything else (none, a rejected token) is not. */
    public static boolean writer(Principal caller) {
        return caller instanceof TokenPrincipal p && WRITERS.stream().anyMatch(p::inGroup);
    }
}
