package dev.switchboard.it;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A restart keeps users, the signing key and the node identity; the one-time admin password is logged once. */
class RestartIT {

    private static final Pattern GENERATED = Pattern.compile("generated-password=(\\S+)");

    @Test
    void aRestartKeepsUsersAndPeerId() {
        try (AppServer server = AppServer.create("restart", Map.of()).env("SWITCHBOARD_ADMIN_PASSWORD", null)) {
            server.start();
            System.out.println("it.restart first-start ready-ms=" + server.readyAfterMillis());
            Matcher m = GENERATED.matcher(server.log());
            assertTrue(m.find(), "a one-time admin password is logged at first start");
            String password = m.group(1);
            String token = login(server, password);
            String peerId = peerId(server, token);

            server.stop();
            // configuration may change later; the stored admin is not re-created
            server.env("SWITCHBOARD_ADMIN_PASSWORD", "something-else").start();
            System.out.println("it.restart second-start ready-ms=" + server.readyAfterMillis());

            String again = login(server, password);
            assertEquals(401, Api.login(server, "admin", "something-else").status());
            assertEquals(peerId, peerId(server, again));
            // a token issued before the restart is still valid: the signing key was kept
            assertEquals(peerId, peerId(server, token));
            Matcher all = GENERATED.matcher(server.log());
            int count = 0;
            while (all.find()) {
                count++;
            }
            assertEquals(1, count, "the generated password is logged exactly once");
        }
    }

    private static String login(AppServer server, String password) {
        Api.Reply r = Api.login(server, "admin", password);
        assertEquals(200, r.status(), r.body());
        return r.json().getString("token");
    }

    private static String peerId(AppServer server, String token) {
        try (WsClient c = WsClient.connect(server.ws("/api/ws?token=" + token))) {
            String id = c.nextOfType("connected", Duration.ofSeconds(10)).getJsonObject("payload").getString("peer_id");
            assertNotNull(id);
            return id;
        }
    }
}
