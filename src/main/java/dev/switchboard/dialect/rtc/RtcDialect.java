package dev.switchboard.dialect.rtc;

import dev.switchboard.dialect.Dialect;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The {@code rtc} dialect's descriptor: spec/rtc.md requires a token at the handshake. */
@ApplicationScoped
public class RtcDialect implements Dialect {

    public static final String NAME = "rtc";
    public static final String PATH = "/rtc/ws";

    @Inject
    @ConfigProperty(name = "rtc.max-connections", defaultValue = "20000")
    int maxConnections;

    @Inject
    @ConfigProperty(name = "rtc.max-connections-per-address", defaultValue = "1000")
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
