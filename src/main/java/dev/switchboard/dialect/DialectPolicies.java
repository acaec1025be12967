package dev.switchboard.dialect;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Which WebSocket paths need a token at the handshake (the dialects' specs decide; DESIGN.md's table). */
@ApplicationScoped
public class DialectPolicies {

    public enum Auth { REQUIRED, OPTIONAL }

    /** The workspace spec connects with {@code ?username=}; a deployment may insist on tokens instead. */
    @Inject
    @ConfigProperty(name = "workspace.auth.required", defaultValue = "false")
    boolean workspaceAuthRequired;

    public Auth authFor(String path) {
        return switch (path) {
            case "/api/ws" -> Auth.REQUIRED;
            case "/workspace/ws" -> workspaceAuthRequired ? Auth.REQUIRED : Auth.OPTIONAL;
            default -> Auth.OPTIONAL;
        };
    }
}
