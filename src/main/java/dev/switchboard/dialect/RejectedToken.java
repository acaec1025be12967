package dev.switchboard.dialect;

import java.security.Principal;

/**
 * Stands in for the caller when a dialect authenticates in-band ({@link DialectPolicies.Auth#IN_BAND}) and the
 * handshake carried a token that failed verification: the endpoint answers with its own error frame instead of the
 * handshake being refused. It names nobody.
 */
public record RejectedToken(String reason) implements Principal {

    @Override
    public String getName() {
        return "";
    }
}
