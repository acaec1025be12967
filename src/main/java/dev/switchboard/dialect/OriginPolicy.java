package dev.switchboard.dialect;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import dev.switchboard.common.ConfigLists;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code Origin} allow-list for WebSocket handshakes ({@code switchboard.origins}, comma-separated origins,
 * or {@code *}). Unset: the server's own host and any localhost origin. A request without {@code Origin}
 * comes from a non-browser client and is allowed: the header protects browsers, not servers.
 */
@ApplicationScoped
public class OriginPolicy {

    @Inject
    @ConfigProperty(name = "switchboard.origins")
    Optional<String> configured;

    public boolean allowed(String origin, String host) {
        return allowed(origin, host, List.of());
    }

    /** @param own a dialect's own allow-list (vault's {@code vault.cors.origins}); empty = {@code switchboard.origins} */
    public boolean allowed(String origin, String host, List<String> own) {
        if (origin == null || origin.isBlank()) {
            return true;
        }
        String normalized = origin.trim().toLowerCase(Locale.ROOT);
        List<String> list = own.isEmpty() ? ConfigLists.split(configured) : own;
        if (!list.isEmpty()) {
            for (String allowed : list) {
                String a = allowed.trim().toLowerCase(Locale.ROOT);
                if (a.equals("*") || a.equals(normalized)) {
                    return true;
                }
            }
            return false;
        }
        URI uri;
        try {
            uri = URI.create(normalized);
        } catch (IllegalArgumentException e) {
            return false;
        }
        String originHost = uri.getHost();
        if (originHost == null) {
            return false;
        }
        if (originHost.equals("localhost") || originHost.equals("127.0.0.1") || originHost.equals("[::1]")) {
            return true;
        }
        String hostPort = uri.getPort() < 0 ? originHost : originHost + ":" + uri.getPort();
        return host != null && (host.equalsIgnoreCase(hostPort) || host.equalsIgnoreCase(originHost));
    }
}
