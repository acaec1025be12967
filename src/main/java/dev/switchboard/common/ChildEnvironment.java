package dev.switchboard.common;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The start of every child process's environment, built rather than inherited: the server's environment holds the
 * database password, the first admin's password, perhaps the signing key, and a child is whatever program a service
 * or a repository names. Only {@link #PASSED} go through (when the server has them); the caller adds its own.
 */
public final class ChildEnvironment {

    /** The server's variables a child may see; everything else stays with the server. */
    public static final List<String> PASSED = List.of("PATH", "HOME", "LANG", "TZ");

    private ChildEnvironment() {
    }

    /** A new, mutable environment with the {@link #PASSED} variables {@code server} has. */
    public static Map<String, String> from(Map<String, String> server) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : PASSED) {
            String value = server.get(name);
            if (value != null) {
                env.put(name, value);
            }
        }
        return env;
    }
}
