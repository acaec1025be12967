package dev.switchboard.dialect;

import jakarta.enterprise.context.ApplicationScoped;

/** Which WebSocket paths need a token at the handshake (the dialects' specs decide; DESIGN.md's table). */
@ApplicationScoped
public class DialectPolicies {

    public enum Auth { REQUIRED, OPTIONAL }

    public Auth authFor(String path) {
        return switch (path) {
            case "/api/ws" -> Auth.REQUIRED;
            case "/rtc/ws" -> Auth.REQUIRED;
            default -> Auth.OPTIONAL;
        };
    }
}
