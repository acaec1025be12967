package dev.switchboard.it;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /api/users}: who may call it, validation at the fields, the last admin, disabled users and their tokens. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UsersIT {

    final AppServer server = SharedServer.get();
    final String admin = Api.adminToken(server);

    static String name(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    Api.Reply create(String username, String password, String groups) {
        return Api.call(server, "POST", "/api/users", admin,
                "{\"username\":\"" + username + "\",\"password\":\"" + password + "\",\"groups\":" + groups + "}");
    }

    String login(String username, String password) {
        Api.Reply r = Api.login(server, username, password);
        assertEquals(200, r.status(), r.body());
        return r.json().getString("token");
    }

    @Test
    @Order(1)
    void theLastAdminCannotBeRemovedDisabledOrDemoted() {
        // the shared server has one admin; nothing here may change that
        Api.Reply demote = Api.call(server, "PUT", "/api/users/admin", admin, "{\"groups\":[\"operator\"]}");
        assertEquals(409, demote.status(), demote.body());
        assertTrue(demote.json().getString("error").contains("last admin"));
        assertEquals(409, Api.call(server, "PUT", "/api/users/admin", admin, "{\"disabled\":true}").status());
        assertEquals(409, Api.call(server, "DELETE", "/api/users/admin", admin, null).status());
        assertEquals(200, Api.login(server, "admin", AppServer.ADMIN_PASSWORD).status());

        // with a second admin, that one can be demoted and deleted again
        String second = name("admin2");
        assertEquals(201, create(second, "second-admin-pw", "[\"admin\"]").status());
        Api.Reply demoted = Api.call(server, "PUT", "/api/users/" + second, admin, "{\"groups\":[\"operator\"]}");
        assertEquals(200, demoted.status(), demoted.body());
        assertEquals("operator", demoted.json().getJsonArray("groups").getString(0));
        assertEquals(204, Api.call(server, "DELETE", "/api/users/" + second, admin, null).status());
        assertEquals(404, Api.call(server, "GET", "/api/users/" + second, admin, null).status());
    }

    @Test
    @Order(2)
    void onlyAdminsManageUsers() throws Exception {
        assertEquals(401, Api.call(server, "GET", "/api/users", null, null).status());
        String operator = name("op");
        assertEquals(201, create(operator, "operator-pw-1", "[\"operator\"]").status());
        String token = login(operator, "operator-pw-1");
        assertEquals(403, Api.call(server, "GET", "/api/users", token, null).status());
        assertEquals(403, create0(token, name("x")).status());
        assertEquals(403, Api.call(server, "PUT", "/api/users/admin/password", token, "{\"password\":\"taken-over-1\"}").status());
        assertEquals(403, Api.call(server, "PUT", "/api/users/" + operator, token, "{\"groups\":[\"admin\"]}").status());
        // every caller sees who they are, an identity provider's user too
        JsonObject me = Api.call(server, "GET", "/api/users/me", token, null).json();
        assertEquals(operator, me.getString("username"));
        assertTrue(me.getBoolean("local"));
        String idp = Tokens.idp(SharedServer.idpKey(), b -> b);
        JsonObject alice = Api.call(server, "GET", "/api/users/me", idp, null).json();
        assertTrue(alice.getString("username").startsWith(SharedServer.IDP_ISSUER + "|"),
                "an identity provider's user is scoped by its issuer: " + alice);
        assertEquals("alice", alice.getString("display_name"));
        assertEquals(false, alice.getBoolean("local"));
        assertEquals(403, Api.call(server, "GET", "/api/users", idp, null).status());
    }

    private Api.Reply create0(String token, String username) {
        return Api.call(server, "POST", "/api/users", token,
                "{\"username\":\"" + username + "\",\"password\":\"long-enough-pw\",\"groups\":[]}");
    }

    @Test
    @Order(3)
    void badInputIsNamedAtItsField() {
        Api.Reply r = Api.call(server, "POST", "/api/users", admin,
                "{\"username\":\"no spaces\",\"password\":\"short\",\"groups\":[\"Admin\"]}");
        assertEquals(400, r.status(), r.body());
        assertEquals("Validation failed", r.json().getString("error"));
        JsonObject fields = r.json().getJsonObject("fields");
        assertTrue(fields.containsKey("username"), r.body());
        assertTrue(fields.containsKey("password"), r.body());
        assertTrue(fields.containsKey("groups"), r.body());
        Api.Reply missing = Api.call(server, "POST", "/api/users", admin, "{}");
        assertEquals(400, missing.status());
        assertTrue(missing.json().getJsonObject("fields").containsKey("username"));
        assertEquals(400, Api.call(server, "POST", "/api/users", admin, "[1]").status());
        assertEquals(400, Api.call(server, "PUT", "/api/users/admin", admin, "{\"disabled\":\"yes\"}").status());
        assertEquals(400, Api.call(server, "PUT", "/api/users/admin/password", admin, "{\"password\":\"\"}").status());
        // names are unique ignoring case
        String user = name("Case");
        assertEquals(201, create(user, "case-user-pw", "[]").status());
        assertEquals(409, create(user.toLowerCase(), "case-user-pw", "[]").status());
        assertEquals(404, Api.call(server, "PUT", "/api/users/nobody-" + UUID.randomUUID(), admin, "{\"disabled\":true}").status());
    }

    @Test
    @Order(4)
    void aDisabledUserCannotSignInAndTheirTokensStopWorking() throws Exception {
        String user = name("carol");
        assertEquals(201, create(user, "carol-password", "[\"operator\"]").status());
        String token = login(user, "carol-password");
        assertEquals(200, Api.call(server, "GET", "/api/services", token, null).status());
        try (WsClient open = WsClient.connect(server.ws("/api/ws"), Map.of("Authorization", "Bearer " + token))) {
            open.nextOfType("node.status", Duration.ofSeconds(20));

            Api.Reply disabled = Api.call(server, "PUT", "/api/users/" + user, admin, "{\"disabled\":true}");
            assertEquals(200, disabled.status(), disabled.body());
            assertTrue(disabled.json().getBoolean("disabled"));

            // the open socket is closed, the token is refused everywhere, and signing in is refused
            assertEquals(1008, open.awaitClose(Duration.ofSeconds(10)).code());
        }
        assertEquals(401, Api.call(server, "GET", "/api/services", token, null).status());
        assertEquals(401, Api.login(server, user, "carol-password").status());
        assertEquals(401, RawWebSocket.handshake(server.port(), "/rtc/ws?token=" + token, Map.of()).status());

        // enabled again: signing in works; the tokens issued before the disabling stay revoked
        assertEquals(200, Api.call(server, "PUT", "/api/users/" + user, admin, "{\"disabled\":false}").status());
        Thread.sleep(1100); // token times are whole seconds: a token from the next second
        String fresh = login(user, "carol-password");
        assertEquals(200, Api.call(server, "GET", "/api/services", fresh, null).status());
        assertEquals(401, Api.call(server, "GET", "/api/services", token, null).status());
    }

    @Test
    @Order(5)
    void passwordsAreResetByAdminsAndChangedByTheirOwners() throws Exception {
        String user = name("dave");
        assertEquals(201, create(user, "dave-password-1", "[]").status());
        String token = login(user, "dave-password-1");

        Api.Reply wrong = Api.call(server, "PUT", "/api/users/me/password", token,
                "{\"current_password\":\"not-it-at-all\",\"password\":\"dave-password-2\"}");
        assertEquals(400, wrong.status(), wrong.body());
        assertTrue(wrong.json().getJsonObject("fields").containsKey("current_password"));
        Api.Reply weak = Api.call(server, "PUT", "/api/users/me/password", token,
                "{\"current_password\":\"dave-password-1\",\"password\":\"short\"}");
        assertEquals(400, weak.status());
        assertTrue(weak.json().getJsonObject("fields").containsKey("password"));
        assertEquals(204, Api.call(server, "PUT", "/api/users/me/password", token,
                "{\"current_password\":\"dave-password-1\",\"password\":\"dave-password-2\"}").status());
        assertEquals(401, Api.login(server, user, "dave-password-1").status());
        String second = login(user, "dave-password-2");

        assertEquals(204, Api.call(server, "PUT", "/api/users/" + user + "/password", admin,
                "{\"password\":\"dave-password-3\"}").status());
        assertEquals(401, Api.login(server, user, "dave-password-2").status());
        assertEquals(200, Api.login(server, user, "dave-password-3").status());
        JsonObject listed = Api.call(server, "GET", "/api/users", admin, null).json().getJsonArray("users").stream()
                .map(v -> (JsonObject) v).filter(u -> u.getString("username").equals(user)).findFirst().orElseThrow();
        assertTrue(listed.getJsonArray("groups").isEmpty());
        assertTrue(!listed.containsKey("password_hash") && !listed.toString().contains("PBKDF2"), listed.toString());
        // an identity provider's user has no password here
        String idp = Tokens.idp(SharedServer.idpKey(), b -> b);
        assertEquals(409, Api.call(server, "PUT", "/api/users/me/password", idp,
                "{\"current_password\":\"whatever-1\",\"password\":\"whatever-2\"}").status());
        assertTrue(second.length() > 0);
    }
}
