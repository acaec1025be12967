package dev.switchboard.dialect.workspace;

import dev.switchboard.dialect.Dialect;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The {@code workspace} dialect's descriptor: spec/workspace.md connects with {@code ?username=}; a deployment may
 * insist on tokens instead. Names without a token cost nothing to invent, so their handshakes are also rate-limited
 * per client address.
 */
@ApplicationScoped
public class WorkspaceDialect implements Dialect {

    public static final String NAME = "workspace";
    public static final String PATH = "/workspace/ws";

    @Inject
    @ConfigProperty(name = "workspace.auth.required", defaultValue = "false")
    boolean authRequired;

    @Inject
    @ConfigProperty(name = "workspace.max-connections", defaultValue = "20000")
    int maxConnections;

    @Inject
    @ConfigProperty(name = "workspace.max-connections-per-address", defaultValue = "1000")
    int maxConnectionsPerAddress;

    @Inject
    @ConfigProperty(name = "workspace.anonymous.connects-per-second", defaultValue = "1")
    double anonymousConnectsPerSecond;

    @Inject
    @ConfigProperty(name = "workspace.anonymous.connect-burst", defaultValue = "60")
    double anonymousConnectBurst;

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
        return authRequired ? Auth.REQUIRED : Auth.OPTIONAL;
    }

    @Override
    public Limits limits() {
        return Limits.of(maxConnections, maxConnectionsPerAddress).anonymousConnects(anonymousConnectsPerSecond, anonymousConnectBurst);
    }
}
