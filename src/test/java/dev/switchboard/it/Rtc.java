package dev.switchboard.it;

import jakarta.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/** Helpers for the rtc dialect's tests: tokens for named users, connected clients past the welcome. */
final class Rtc {

    static final Duration T = Duration.ofSeconds(10);

    /** A connected client and the connection id its welcome announced. */
    record Client(WsClient ws, String connectionId) implements AutoCloseable {
        @Override
        public void close() {
            ws.close();
        }

        JsonObject next(String type) {
            return ws.nextOfType(type, T);
        }

        Client send(String text) {
            ws.send(text);
            return this;
        }
    }

    private final AppServer server;
    private final Tokens tokens;

    Rtc(AppServer server) throws Exception {
        this.server = server;
        Api.adminToken(server); // the signing key the forger reads is created on the server's first sign-in
        this.tokens = new Tokens(server);
    }

    /** A user name no other test uses, so that presence and queues of tests never mix. */
    static String user(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    String token(String user, long lifetimeSeconds) throws Exception {
        return tokens.rs256(b -> b.subject(user).claim("upn", user).claim("groups", List.of("user"))
                .expirationTime(Date.from(Instant.now().plusSeconds(lifetimeSeconds))));
    }

    String token(String user) throws Exception {
        return token(user, 600);
    }

    Client connect(String user) throws Exception {
        return connectWith(token(user));
    }

    Client connectWith(String token) {
        WsClient ws = WsClient.connect(server.ws("/rtc/ws?token=" + token));
        JsonObject welcome = ws.next(T);
        if (!"Status".equals(welcome.getString("type")) || !"connected".equals(welcome.getJsonObject("data").getString("status"))) {
            throw new AssertionError("expected the welcome first, got " + welcome);
        }
        return new Client(ws, welcome.getJsonObject("data").getJsonObject("details").getString("connection_id"));
    }
}
