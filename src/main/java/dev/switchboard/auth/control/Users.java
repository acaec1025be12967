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

    /**
     * In a transaction of its own when the caller has none: a WebSocket message thread (vault's {@code auth} message
     * verifies its token, which reads the user) has no transaction context on Liberty, whose JPA then fails outside one.
     */
    @Transactional
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
        return ok && !user.get().disabled() ? user : Optional.empty();
    }

    // --- managed from the admin console (UsersResource) ---

    public List<User> list() {
        return em.createNamedQuery(User.ALL, User.class).getResultList();
    }

    /** Changes a user's groups; refused (empty) when it would leave no enabled admin. */
    @Transactional
    public Optional<User> changeGroups(String username, List<String> groups) throws LastAdminException {
        User user = lockedUser(username);
        if (user == null) {
            return Optional.empty();
        }
        if (user.isAdmin() && !groups.contains("admin")) {
            requireAnotherAdmin(user);
        }
        user.groups(groups);
        return Optional.of(user);
    }

    @Transactional
    public Optional<User> resetPassword(String username, char[] password) {
        User user = lockedUser(username);
        if (user == null) {
            return Optional.empty();
        }
        user.passwordHash(hash.generate(password));
        return Optional.of(user);
    }

    @Transactional
    public Optional<User> changeDisabled(String username, boolean disabled) throws LastAdminException {
        User user = lockedUser(username);
        if (user == null) {
            return Optional.empty();
        }
        if (disabled && user.isAdmin()) {
            requireAnotherAdmin(user);
        }
        if (user.disabled() != disabled) {
            user.disabled(disabled);
        }
        return Optional.of(user);
    }

    /** @return whether the user existed */
    @Transactional
    public boolean delete(String username) throws LastAdminException {
        User user = lockedUser(username);
        if (user == null) {
            return false;
        }
        if (user.isAdmin()) {
            requireAnotherAdmin(user);
        }
        em.remove(user);
        return true;
    }

    /** Changes a user's own password after checking the current one. @return false when the current one is wrong */
    @Transactional
    public boolean changeOwnPassword(String username, char[] current, char[] password) {
        Optional<User> user = authenticate(username, current);
        if (user.isEmpty()) {
            return false;
        }
        User locked = em.find(User.class, em.getEntityManagerFactory().getPersistenceUnitUtil().getIdentifier(user.get()),
                jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        locked.passwordHash(hash.generate(password));
        return true;
    }

    private User lockedUser(String username) {
        return find(username).map(u -> em.find(User.class, em.getEntityManagerFactory().getPersistenceUnitUtil().getIdentifier(u),
                jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)).orElse(null);
    }

    /**
     * Every admin row is locked before counting, so two requests demoting the last two admins at once cannot
     * both see "another admin" and leave none.
     */
    private void requireAnotherAdmin(User user) throws LastAdminException {
        long others = em.createQuery("SELECT u FROM User u WHERE u.username <> :name", User.class)
                .setParameter("name", user.username())
                .setLockMode(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
                .getResultStream().filter(User::isAdmin).count();
        if (others == 0) {
            throw new LastAdminException();
        }
    }

    /** The change would leave no enabled user in the group {@code admin}. */
    public static final class LastAdminException extends Exception {
        public LastAdminException() {
            super("The last admin cannot be removed, disabled or demoted");
        }
    }
}
