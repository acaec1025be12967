package dev.switchboard.auth.control;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;

/**
 * Checks the token settings while the application deploys, not at the first request: a server trusting an
 * identity provider without an audience (or with a key it cannot read) must not come up at all, with the reason
 * in the log ({@code auth.config.invalid}), rather than run and accept tokens meant for other applications.
 */
@Singleton
@Startup
public class AuthSettingsCheck {

    @Inject
    TokenVerifier verifier;

    @Inject
    LoginThrottle throttle;

    @PostConstruct
    void check() {
        verifier.checkSettings();
        throttle.checkSettings();
    }
}
