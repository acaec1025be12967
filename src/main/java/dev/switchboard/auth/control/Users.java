package dev.switchboard.auth.control;

import dev.switchboard.auth.entity.TokenPrincipal;
import dev.switchboard.auth.entity.User;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.security.enterprise.identitystore.Pbkdf2PasswordHash;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Local users and their PBKDF2 password hashes (Jakarta Security's {@link Pbkdf2PasswordHash}). */
@ApplicationScoped
public class Users {

    @PersistenceContext(unitName = "switchboard")
    EntityManager em;

    @Inject
    Pbkdf2PasswordHash hash;

    @Inject
    @ConfigProperty(name = "auth.password.iterations", defaultValue = "210000")
    int iterations;

    /** Verified against when the user does not exist, so that a wrong name costs as much as a wrong password. */
    private String decoy;

    @PostConstruct
    void init() {
        hash.initialize(Map.of(
                "Pbkdf2PasswordHash.Algorithm", "PBKDF2WithHmacSHA512",
                "Pbkdf2PasswordHash.Iterations", String.valueOf(iterations),
                "Pbkdf2PasswordHash.SaltSizeBytes", "32",
                "Pbkdf2PasswordHash.KeySizeBytes", "64"));
        decoy = hash.generate("decoy-password".toCharArray());
    }

    public Optional<User> find(String username) {
        return em.createNamedQuery(User.BY_USERNAME, User.class)
                .setParameter("username", username)
                .getResultStream().findFirst();
    }

    /** Whether a local user has this name, ignoring case (so "Admin" cannot pass for "admin" where names are shown). */
    @Transactional
    public boolean existsIgnoringCase(String username) {
        return em.createQuery("SELECT COUNT(u) FROM User u WHERE LOWER(u.username) = :name", Long.class)
                .setParameter("name", username.toLowerCase(java.util.Locale.ROOT))
                .getSingleResult() > 0;
    }

    public long count() {
        return em.createNamedQuery(User.COUNT, Long.class).getSingleResult();
    }

    @Transactional
    public User create(String username, char[] password, List<String> groups) {
        if (username.indexOf(TokenPrincipal.SCOPE_SEPARATOR) >= 0) {
            // the identity providers' users are <issuer>|<subject>: a local name with the separator could pose as one
            throw new IllegalArgumentException("A local user name may not contain '" + TokenPrincipal.SCOPE_SEPARATOR + "'");
        }
        User user = new User(username, hash.generate(password), groups);
        em.persist(user);
        return user;
    }

    /** @return the user when the name exists and the password matches */
    public Optional<User> authenticate(String username, char[] password) {
        Optional<User> user = find(username);
        boolean ok = hash.verify(password, user.map(User::passwordHash).orElse(decoy));
        return ok ? user : Optional.empty();
    }
}
