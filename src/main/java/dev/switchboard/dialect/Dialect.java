package dev.switchboard.dialect;

import java.util.List;

/**
 * What one dialect demands of a handshake, in one place: its path, its authentication policy, its Origin allow-list
 * and its connection limits. Each dialect package has one, an application-scoped bean named {@code <Name>Dialect},
 * whose {@code PATH} constant is also its endpoint's {@code @ServerEndpoint} value, so that the path the guard
 * checks and the path the container routes cannot drift. {@link Dialects} collects them: a sixth dialect is a
 * package with its endpoint and its descriptor, nothing else.
 */
public interface Dialect {

    enum Auth {
        /** No valid token, no upgrade (401); the endpoint refuses a connection without one again (1008). */
        REQUIRED,
        /** A token is optional; one that is present must verify (401 otherwise). */
        OPTIONAL,
        /** The dialect reports token problems itself, in its own error frames (vault's AUTH_FAILED). */
        IN_BAND
    }

    /**
     * @param maxConnections             open connections of the dialect in total
     * @param maxConnectionsPerAddress   open connections of the dialect from one client address
     * @param anonymousConnectsPerSecond handshakes without a token per client address and second (0: no limit)
     * @param anonymousConnectBurst      handshakes without a token one address may make at once
     * @param refusedInBand              a refusal is the dialect's own error frame on an accepted connection (vault's
     *                                   CONNECTION_REFUSED), not an HTTP answer
     */
    record Limits(int maxConnections, int maxConnectionsPerAddress, double anonymousConnectsPerSecond,
                  double anonymousConnectBurst, boolean refusedInBand) {

        public static Limits of(int maxConnections, int maxConnectionsPerAddress) {
            return new Limits(maxConnections, maxConnectionsPerAddress, 0, 0, false);
        }

        public Limits anonymousConnects(double perSecond, double burst) {
            return new Limits(maxConnections, maxConnectionsPerAddress, perSecond, Math.max(1, burst), refusedInBand);
        }

        public Limits inBand() {
            return new Limits(maxConnections, maxConnectionsPerAddress, anonymousConnectsPerSecond, anonymousConnectBurst, true);
        }
    }

    /** The hub's name of the dialect ({@code node}, {@code vault}, ...). */
    String name();

    /** The endpoint's path, exactly as a client must send it (the guard compares the raw request path to it). */
    String path();

    Auth auth();

    /** The dialect's own Origin allow-list, or empty for {@code switchboard.origins}. */
    default List<String> origins() {
        return List.of();
    }

    Limits limits();
}
