package dev.switchboard.dialect;

import dev.switchboard.auth.entity.Roles;
import dev.switchboard.auth.entity.TokenPrincipal;
import dev.switchboard.hub.entity.Clearance;

import java.security.Principal;

/** A connection's {@link Clearance} from its verified principal (a session's, or one verified in band). */
public final class Clearances {

    private Clearances() {
    }

    public static Clearance of(Principal caller) {
        if (!(caller instanceof TokenPrincipal)) {
            return Clearance.ANONYMOUS; // none, or a token that failed verification (RejectedToken)
        }
        return Roles.writer(caller) ? Clearance.PRIVILEGED : Clearance.AUTHENTICATED;
    }
}
