package dev.switchboard.dialect;

import dev.switchboard.common.ConfigLists;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;
import java.util.Optional;

/** What each WebSocket path demands at the handshake (the dialects' specs decide; DESIGN.md's table). */
@ApplicationScoped
public class DialectPolicies {

    public enum Auth {
        /** No valid token, no upgrade (401). */
        REQUIRED,
        /** A token is optional; one that is present must verify (401 otherwise). */
        OPTIONAL,
        /** The dialect reports token problems itself, in its own error frames (vault's AUTH_FAILED). */
        IN_BAND
    }

    /** @param origins the dialect's own Origin allow-list, or empty for {@code switchboard.origins} */
    public record Policy(Auth auth, List<String> origins) {
    }

    @Inject
    @ConfigProperty(name = "control.auth.required", defaultValue = "false")
    boolean controlAuthRequired;

    @Inject
    @ConfigProperty(name = "vault.cors.origins", defaultValue = "*")
    String vaultOrigins;

    /** The workspace spec connects with {@code ?username=}; a deployment may insist on tokens instead. */
    @Inject
    @ConfigProperty(name = "workspace.auth.required", defaultValue = "false")
    boolean workspaceAuthRequired;

    public Policy policyFor(String path) {
        return switch (path) {
            case "/api/ws", "/rtc/ws" -> new Policy(Auth.REQUIRED, List.of());
            case "/ws" -> new Policy(Auth.IN_BAND, ConfigLists.split(Optional.of(vaultOrigins)));
            case "/control/ws" -> new Policy(controlAuthRequired ? Auth.REQUIRED : Auth.OPTIONAL, List.of());
            case "/workspace/ws" -> new Policy(workspaceAuthRequired ? Auth.REQUIRED : Auth.OPTIONAL, List.of());
            default -> new Policy(Auth.OPTIONAL, List.of());
        };
    }
}
