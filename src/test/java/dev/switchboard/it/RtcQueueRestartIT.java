package dev.switchboard.it;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Queued direct messages survive a kill -9; expired ones are purged by the janitor and never delivered. */
class RtcQueueRestartIT {

    private static final Duration T = Duration.ofSeconds(10);

    @Test
    void queuedMessagesSurviveAKillAndExpiredOnesArePurged() throws Exception {
        try (AppServer server = AppServer.create("rtc-restart", Map.of("MESSAGING_QUEUE_PURGE_INTERVAL_SECONDS", "1"))) {
            server.start();
            Rtc rtc = new Rtc(server);
            String target = Rtc.user("sleeper");
            try (Rtc.Client from = rtc.connect(Rtc.user("waker"))) {
                from.send("{\"type\":\"DirectMessage\",\"id\":\"gone\",\"data\":{\"target_user\":\"" + target
                        + "\",\"payload\":{\"n\":-1}},\"metadata\":{\"ttl\":1}}");
                assertEquals(404, from.next("Error").getJsonObject("data").getInt("code"));
                for (int i = 0; i < 5; i++) {
                    from.send("{\"type\":\"DirectMessage\",\"id\":\"k" + i + "\",\"data\":{\"target_user\":\"" + target
                            + "\",\"payload\":{\"n\":" + i + "}}}");
                    assertEquals(404, from.next("Error").getJsonObject("data").getInt("code"));
                }
            }
            assertEquals(6, rows(server, target));
            server.kill();
            server.start();
            long deadline = System.nanoTime() + T.toNanos();
            while (rows(server, target) != 5 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertEquals(5, rows(server, target), "the expired message was purged, the others kept");
            try (Rtc.Client to = rtc.connect(target)) {
                for (int i = 0; i < 5; i++) {
                    JsonObject data = to.next("DirectMessage").getJsonObject("data");
                    assertEquals(i, data.getJsonObject("payload").getInt("n"));
                }
                deadline = System.nanoTime() + T.toNanos();
                while (rows(server, target) != 0 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertEquals(0, rows(server, target), "delivered messages leave the queue");
                to.send("{\"type\":\"Ping\"}");
                assertEquals("Pong", to.ws().next(T).getString("type"), "nothing else was delivered");
            }
            assertTrue(server.log().contains("messaging.queue.purged"));
        }
    }

    private static int rows(AppServer server, String user) throws Exception {
        try (Connection c = DriverManager.getConnection(server.databaseUrl(), Postgres.USER, Postgres.PASSWORD);
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT COUNT(*) FROM sb_queued_message WHERE target_user = '" + user + "'")) {
            r.next();
            return r.getInt(1);
        }
    }
}
