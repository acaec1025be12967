package dev.switchboard.it;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** POST /api/auth/login on the real server. */
class AuthIT {

    private final PayaraServer server = SharedServer.get();

    @Test
    void rightPasswordGivesAnRs256TokenWithExpiry() {
        Api.Reply r = Api.login(server, "admin", PayaraServer.ADMIN_PASSWORD);
        assertEquals(200, r.status(), r.body());
        String token = r.json().getString("token");
        assertEquals(3, token.split("\\.").length);
        String header = new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[0]));
        assertTrue(header.contains("\"RS256\""), header);
        long expiresAt = r.json().getJsonNumber("expires_at").longValue();
        long now = System.currentTimeMillis() / 1000;
        assertTrue(expiresAt > now + 60 && expiresAt <= now + 3600 + 5, "expires_at " + expiresAt);
    }

    @Test
    void wrongPasswordIs401() {
        Api.Reply r = Api.login(server, "admin", "not-the-password");
        assertEquals(401, r.status());
        assertEquals("Invalid username or password", r.json().getString("error"));
    }

    @Test
    void unknownUserIs401WithTheSameMessage() {
        Api.Reply r = Api.login(server, "nobody-" + System.nanoTime(), "whatever");
        assertEquals(401, r.status());
        assertEquals("Invalid username or password", r.json().getString("error"));
    }

    @Test
    void malformedBodiesAre400NeverA500() {
        for (String body : new String[] {"{bad", "[]", "\"x\"", "{}", "{\"username\":\"admin\"}",
                "{\"username\":1,\"password\":2}", "{\"username\":\"\",\"password\":\"\"}",
                "{\"username\":\"admin\",\"password\":\"" + "x".repeat(300) + "\"}"}) {
            Api.Reply r = Api.post(server, "/api/auth/login", body);
            assertEquals(400, r.status(), "body " + body + " -> " + r.body());
            assertTrue(r.json().getString("error").length() > 0);
        }
    }
}
