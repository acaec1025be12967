package dev.switchboard.auth.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** A local user: name, PBKDF2 hash, groups (roles). Users from an identity provider are not stored. */
@Entity
@Table(name = "sb_user")
@NamedQuery(name = User.BY_USERNAME, query = "SELECT u FROM User u WHERE u.username = :username")
@NamedQuery(name = User.COUNT, query = "SELECT COUNT(u) FROM User u")
@NamedQuery(name = User.ALL, query = "SELECT u FROM User u ORDER BY u.username")
public class User {

    public static final String BY_USERNAME = "User.byUsername";
    public static final String COUNT = "User.count";
    public static final String ALL = "User.all";

    @Id
    private String id;

    @Column(nullable = false, unique = true)
    private String username;

    @Column(name = "password_hash", nullable = false)
    private String passwordHash;

    @Column(name = "groups_csv", nullable = false)
    private String groupsCsv;

    @Column(name = "created_at", nullable = false)
    private OffsetDateTime createdAt;

    @Column(nullable = false)
    private boolean disabled;

    /** Tokens of this user issued before this instant are refused (null: every unexpired one is accepted). */
    @Column(name = "tokens_valid_after")
    private OffsetDateTime tokensValidAfter;

    protected User() {
        // JPA
    }

    public User(String username, String passwordHash, List<String> groups) {
        this.id = UUID.randomUUID().toString();
        this.username = username;
        this.passwordHash = passwordHash;
        this.groupsCsv = String.join(",", groups);
        this.createdAt = OffsetDateTime.now();
    }

    public String username() {
        return username;
    }

    public String passwordHash() {
        return passwordHash;
    }

    public List<String> groups() {
        return groupsCsv.isBlank() ? List.of() : Arrays.asList(groupsCsv.split(","));
    }

    public OffsetDateTime createdAt() {
        return createdAt;
    }

    public boolean disabled() {
        return disabled;
    }

    public OffsetDateTime tokensValidAfter() {
        return tokensValidAfter;
    }

    public boolean isAdmin() {
        return !disabled && groups().contains("admin");
    }

    /** Changes the groups; tokens issued before carry the old ones, so they stop being accepted. */
    public void groups(List<String> groups) {
        this.groupsCsv = String.join(",", groups);
        revokeTokens();
    }

    public void passwordHash(String passwordHash) {
        this.passwordHash = passwordHash;
        revokeTokens();
    }

    public void disabled(boolean disabled) {
        this.disabled = disabled;
        revokeTokens();
    }

    /**
     * Tokens issued before now stop being accepted. Token times are whole seconds, so the cut is the start of
     * this second: a token issued later in the same second (a sign-in right after the change) stays valid.
     */
    public void revokeTokens() {
        this.tokensValidAfter = OffsetDateTime.now().withNano(0);
    }
}
