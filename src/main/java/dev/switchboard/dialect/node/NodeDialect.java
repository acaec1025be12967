package dev.switchboard.dialect.node;

import dev.switchboard.dialect.Dialect;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The {@code node} dialect's descriptor: spec/node.md requires a token at the handshake. */
@ApplicationScoped
public class NodeDialect implements Dialect {

    public static final String NAME = "node";
    public static final String PATH = "/api/ws";

    @Inject
    @ConfigProperty(name = "node.max-connections", defaultValue = "10000")
    int maxConnections;

    @Inject
    @ConfigProperty(name = "node.max-connections-per-address", defaultValue = "1000")
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
        return Auth.REQUIRED;
    }

    @Override
    public Limits limits() {
        return Limits.of(maxConnections, maxConnectionsPerAddress);
    }
}
