package dev.switchboard.dialect.vault;

import dev.switchboard.common.ConfigLists;
import dev.switchboard.dialect.Dialect;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;
import java.util.Optional;

/**
 * The {@code vault} dialect's descriptor: spec/vault.md makes authentication optional, also by an {@code auth}
 * message, so a bad handshake token is reported in-band; its own Origin list ({@code vault.cors.origins}); and a
 * refused connection gets the spec's {@code CONNECTION_REFUSED} error frame (then close 1013), not an HTTP answer.
 */
@ApplicationScoped
public class VaultDialect implements Dialect {

    public static final String NAME = "vault";
    public static final String PATH = "/ws";

    @Inject
    @ConfigProperty(name = "vault.cors.origins", defaultValue = "*")
    String origins;

    /** The spec's "Connection limit: 1000 concurrent connections". */
    @Inject
    @ConfigProperty(name = "vault.max-connections", defaultValue = "1000")
    int maxConnections;

    @Inject
    @ConfigProperty(name = "vault.max-connections-per-address", defaultValue = "100")
    int maxConnectionsPerAddress;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String path() {
        return PATH;
    }

    @Override
    public Auth auth() {
        return Auth.IN_BAND;
    }

    @Override
    public List<String> origins() {
        return ConfigLists.split(Optional.of(origins));
    }

    @Override
    public Limits limits() {
        return Limits.of(maxConnections, maxConnectionsPerAddress).inBand();
    }
}
