package dev.switchboard.auth.control;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * On a database without users, creates the first admin: password from {@code switchboard.admin.password},
 * or a generated one-time password that is logged exactly once. A configured password that is short or one
 * of the well-known defaults (the old compose file shipped {@code change-me}) fails the deployment instead:
 * an admin account anyone can guess is worse than a server that does not start.
 */
@Singleton
@Startup
@DependsOn("SchemaMigrator")
public class FirstAdmin {

    private static final Logger LOG = Logger.getLogger(FirstAdmin.class.getName());
    static final int MIN_LENGTH = 12;
    private static final Set<String> KNOWN = Set.of("change-me", "changeme", "change_me", "changeit", "password",
            "passw0rd", "password1", "password123", "admin", "admin123", "administrator", "secret", "switchboard",
            "letmein", "welcome", "qwerty", "123456", "12345678", "123456789", "1234567890", "default", "root",
            "toor", "changemenow", "change-me-now", "pleasechangeme", "adminadmin", "adminpassword");

    @Inject
    Users users;

    @Inject
    @ConfigProperty(name = "switchboard.admin.username", defaultValue = "admin")
    String username;

    @Inject
    @ConfigProperty(name = "switchboard.admin.password")
    Optional<String> password;

    @PostConstruct
    void ensure() {
        if (users.count() > 0) {
            return;
        }
        String secret = password.filter(p -> !p.isBlank()).orElse(null);
        boolean generated = secret == null;
        if (generated) {
            byte[] random = new byte[18];
            new SecureRandom().nextBytes(random);
            secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        } else {
            String problem = weakness(secret, username);
            if (problem != null) {
                LOG.severe(() -> "auth.first-admin.refused username=" + username + " reason=\"" + problem
                        + "\" (set SWITCHBOARD_ADMIN_PASSWORD to a stronger one, or unset it to get a generated one)");
                throw new IllegalStateException("switchboard.admin.password refused: " + problem);
            }
        }
        users.create(username, secret.toCharArray(), List.of("admin"));
        if (generated) {
            String shown = secret;
            LOG.warning(() -> "auth.first-admin created username=" + username + " generated-password=" + shown
                    + " (shown once; set SWITCHBOARD_ADMIN_PASSWORD to choose it)");
        } else {
            LOG.info(() -> "auth.first-admin created username=" + username + " password=from-configuration");
        }
    }

    /** Why a configured first password is too weak to accept, or null. Never says what the password was. */
    static String weakness(String password, String username) {
        if (password.length() < MIN_LENGTH) {
            return "shorter than " + MIN_LENGTH + " characters";
        }
        String folded = password.toLowerCase(Locale.ROOT);
        if (KNOWN.contains(folded) || folded.equals(username.toLowerCase(Locale.ROOT))) {
            return "a well-known default password";
        }
        if (folded.chars().distinct().count() < 4) {
            return "too few different characters";
        }
        return null;
    }
}
