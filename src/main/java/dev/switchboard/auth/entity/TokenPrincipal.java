package dev.switchboard.auth.entity;

import java.security.Principal;
import java.time.Instant;
import java.util.Set;

/**
 * The caller behind a verified token.
 * <p>
 * {@link #getName()} is the identity every component keys on (mailbox, uploads, presence, connections): a local
 * user's plain name, or, for an identity provider's user, {@code <issuer>|<subject>}, so that no identity
 * provider user can ever be a local user or another issuer's user, whatever name it carries.
 * {@link #displayName()} is only for showing: the identity provider's {@code preferred_username} (or {@code upn},
 * else the subject); for a local user it is the name.
 *
 * @param local whether this server issued the token (a local user), not an identity provider
 */
public record TokenPrincipal(String name, String displayName, Set<String> groups, Instant expiresAt, String issuer,
                             boolean local) implements Principal {

    /** The separator between issuer and subject; local user names may not contain it. */
    public static final char SCOPE_SEPARATOR = '|';

    @Override
    public String getName() {
        return name;
    }

    public boolean inGroup(String group) {
        return groups.contains(group);
    }
}
