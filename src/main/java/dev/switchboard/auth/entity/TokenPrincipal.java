package dev.switchboard.auth.entity;

import java.security.Principal;
import java.time.Instant;
import java.util.Set;

/** The caller behind a verified token: name, groups, and when the token expires. */
public record TokenPrincipal(String name, Set<String> groups, Instant expiresAt, String issuer) implements Principal {

    @Override
    public String getName() {
        return name;
    }

    public boolean inGroup(String group) {
        return groups.contains(group);
    }
}
