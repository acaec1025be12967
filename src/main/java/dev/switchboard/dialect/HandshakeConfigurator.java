package dev.switchboard.dialect;

import jakarta.websocket.server.ServerEndpointConfig;

import java.util.List;

/**
 * Echoes the subprotocol {@code access_token.<jwt>} when the client carried its token that way (browsers can
 * set no headers on a WebSocket); the token itself was already verified by {@link HandshakeGuard}.
 */
public class HandshakeConfigurator extends ServerEndpointConfig.Configurator {

    @Override
    public String getNegotiatedSubprotocol(List<String> supported, List<String> requested) {
        for (String p : requested) {
            if (p.startsWith(HandshakeGuard.SUBPROTOCOL_PREFIX)) {
                return p;
            }
        }
        return super.getNegotiatedSubprotocol(supported, requested);
    }
}
