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
import java.util.Optional;
import java.util.logging.Logger;

/**
 * On a database without users, creates the first admin: password from {@code switchboard.admin.password},
 * or a generated one-time password that is logged exactly once.
 */
@Singleton
@Startup
@DependsOn("SchemaMigrator")
public class FirstAdmin {

    private static final Logger LOG = Logger.getLogger(FirstAdmin.class.getName());

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
}
