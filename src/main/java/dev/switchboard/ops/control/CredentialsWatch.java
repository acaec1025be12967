package dev.switchboard.ops.control;

import dev.switchboard.auth.entity.CredentialsChanged;
import dev.switchboard.hub.boundary.Hub;
import dev.switchboard.hub.control.Connection;
import dev.switchboard.hub.entity.Disconnect;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.List;
import java.util.logging.Logger;

/**
 * Closes the open connections of a user whose tokens were just revoked: a token is checked at the handshake
 * only, so a socket opened with it would otherwise stay open until its token expires.
 */
@ApplicationScoped
public class CredentialsWatch {

    private static final Logger LOG = Logger.getLogger(CredentialsWatch.class.getName());

    @Inject
    Hub hub;

    void onChanged(@Observes CredentialsChanged changed) {
        List<Connection> open = List.copyOf(hub.connectionsOf(changed.username()));
        for (Connection c : open) {
            hub.close(c, new Disconnect(Disconnect.POLICY_VIOLATION, "Credentials changed"));
        }
        if (!open.isEmpty()) {
            LOG.info(() -> "auth.user.connections-closed username=" + changed.username() + " count=" + open.size());
        }
    }
}
