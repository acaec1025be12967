package dev.switchboard.dialect.control;

import dev.switchboard.dialect.Dialect;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The {@code control} dialect's descriptor: spec/control.md needs no token yet; a deployment may require one. */
@ApplicationScoped
public class ControlDialect implements Dialect {

    public static final String NAME = "control";
    public static final String PATH = "/control/ws";

    @Inject
    @ConfigProperty(name = "control.auth.required", defaultValue = "false")
    boolean authRequired;

    @Inject
    @ConfigProperty(name = "control.max-connections", defaultValue = "10000")
    int maxConnections;

    @Inject
    @ConfigProperty(name = "control.max-connections-per-address", defaultValue = "1000")
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
        return authRequired ? Auth.REQUIRED : Auth.OPTIONAL;
    }

    @Override
    public Limits limits() {
        return Limits.of(maxConnections, maxConnectionsPerAddress);
    }
}
