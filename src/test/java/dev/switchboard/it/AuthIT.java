package dev.switchboard.it;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** POST /api/auth/login, and what an identity provider's token may do on REST, on the real server. */
class AuthIT {

    private final AppServer server = SharedServer.get();

    @Test
    void rightPasswordGivesAnRs256TokenWithExpiry() {
        Api.Reply r = Api.login(server, "admin", AppServer.ADMIN_PASSWORD);
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
                "{\"username\":1,\"password\":2}", "{\"username\":\"\",\"password\":\"\"}", "",
                "{\"username\":\"admin\",\"password\":\"" + "x".repeat(300) + "\"}"}) {
            Api.Reply r = Api.post(server, "/api/auth/login", body);
            assertEquals(400, r.status(), "body " + body + " -> " + r.body());
            assertTrue(r.json().getString("error").length() > 0);
        }
    }

    @Test
    void aBodyOverFourKilobytesIs413WithOrWithoutALength() throws Exception {
        String big = "{\"username\":\"admin\",\"password\":\"" + AppServer.ADMIN_PASSWORD + "\",\"padding\":\"" + "x".repeat(5000) + "\"}";
        Api.Reply declared = Api.post(server, "/api/auth/login", big);
        assertEquals(413, declared.status(), declared.body());
        assertTrue(declared.json().getString("error").contains("4096"), declared.body());
        // chunked: no Content-Length to refuse on, so the read itself stops at the cap
        HttpResponse<String> chunked = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(server.http("/api/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(413, chunked.statusCode(), chunked.body());
        assertEquals(200, Api.login(server, "admin", AppServer.ADMIN_PASSWORD).status(), "a normal body still works");
    }

    @Test
    void anIdentityProviderTokenWithAKidVerifiesAgainstThePemKey() throws Exception {
        // Keycloak, Entra ID and Okta put a kid on every token; the configured PEM key has none
        String token = Tokens.idp(SharedServer.idpKey(), "kc-rsa-2026-12", c -> c);
        assertEquals(200, Api.call(server, "GET", "/api/services", token, null).status());
        RawWebSocket.Handshake h = RawWebSocket.handshake(server.port(), "/api/ws",
                Map.of("Authorization", "Bearer " + token));
        assertEquals(101, h.status(), h.body());
    }

    @Test
    void anIdentityProviderUserNamedAdminHasNoAdminRights() throws Exception {
        String body = "{\"message\":\"from an impostor\"}";
        String noGroups = Tokens.idp(SharedServer.idpKey(), "kid-1",
                c -> c.subject("impostor-" + System.nanoTime()).claim("preferred_username", "admin").claim("upn", "admin")
                        .claim("groups", List.of()));
        assertEquals(200, Api.call(server, "GET", "/api/services", noGroups, null).status(), "a valid token");
        assertEquals(403, Api.call(server, "POST", "/api/notifications", noGroups, body).status());
        assertEquals(403, Api.call(server, "POST", "/api/services", noGroups,
                "{\"name\":\"impostor-" + System.nanoTime() + "\",\"type\":\"DATA\",\"status\":\"ACTIVE\"}").status());
        // an IdP group that happens to be called admin is not our admin: only the group map gives roles
        String adminGroup = Tokens.idp(SharedServer.idpKey(), "kid-1",
                c -> c.claim("preferred_username", "admin").claim("groups", List.of("admin")));
        assertEquals(403, Api.call(server, "POST", "/api/notifications", adminGroup, body).status());
    }

    @Test
    void aMappedIdentityProviderGroupGivesItsRoleAndAnUnmappedOneNothing() throws Exception {
        String body = "{\"message\":\"hello\",\"user\":\"nobody-" + System.nanoTime() + "\"}";
        String mapped = Tokens.idp(SharedServer.idpKey(), c -> c.claim("groups", List.of(SharedServer.IDP_ADMINS)));
        Api.Reply r = Api.call(server, "POST", "/api/notifications", mapped, body);
        assertEquals(202, r.status(), r.body());
        String unmapped = Tokens.idp(SharedServer.idpKey(), c -> c.claim("groups", List.of("sb-admins-not", "wheel")));
        assertEquals(403, Api.call(server, "POST", "/api/notifications", unmapped, body).status());
        String operator = Tokens.idp(SharedServer.idpKey(), c -> c.claim("groups", List.of(SharedServer.IDP_OPERATORS)));
        assertEquals(403, Api.call(server, "POST", "/api/notifications", operator, body).status(), "operator is not admin");
    }
}
