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
public class User {

    public static final String BY_USERNAME = "User.byUsername";
    public static final String COUNT = "User.count";

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
}
