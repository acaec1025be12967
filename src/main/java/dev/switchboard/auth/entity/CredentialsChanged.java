package dev.switchboard.auth.entity;

/**
 * A local user's tokens were revoked (disabled, deleted, groups or password changed): whoever holds a
 * connection authenticated as them should let it go.
 */
public record CredentialsChanged(String username) {
}
