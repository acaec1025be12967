package dev.switchboard.it;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Chat storage in its write-behind mode ({@code chat.store.announce=write-behind}: announced before stored): a clean
 * stop must store what was still queued. The writer lingers 60 s for a
 * batch here, so the messages are still in memory when the server is told to stop (the stop's own log line
 * cannot prove it: Payara Micro closes its log before the application's {@code @PreDestroy} runs).
 */
class WorkspaceRestartIT {

    private static final Duration T = Duration.ofSeconds(10);

    @Test
    void aCleanStopStoresEveryBroadcastMessage() {
        try (AppServer server = AppServer.create("chat-restart", Map.of(
                "CHAT_STORE_LINGER_MS", "60000",
                "CHAT_STORE_ANNOUNCE", "write-behind",
                "WORKSPACE_RATE_LIMIT_PER_SECOND", "100000",
                "WORKSPACE_RATE_LIMIT_BURST", "100000"))) {
            server.start();
            List<String> ids = new ArrayList<>();
            long firstSent = System.nanoTime();
            try (WsClient c = WsClient.connect(server.ws("/workspace/ws?username=durable"))) {
                c.nextOfType("connected", T);
                for (int i = 0; i < 300; i++) {
                    c.send("{\"type\":\"message:send\",\"text\":\"m" + i + "\"}");
                }
                for (int i = 0; i < 300; i++) {
                    ids.add(c.nextOfType("message:new", T).getJsonObject("data").getString("id"));
                }
            }
            server.stop();
            // only conclusive when the stop came before the writer's linger ran out
            Assumptions.assumeTrue(System.nanoTime() - firstSent < Duration.ofSeconds(50).toNanos(), "too slow to be conclusive");

            // back to the default: a history read waits for the writer at most chat.history.read-wait-ms
            server.env("CHAT_STORE_LINGER_MS", null).start();
            String token = Api.adminToken(server);
            Set<String> stored = new HashSet<>();
            String before = "";
            for (int page = 0; page < 3; page++) {
                JsonObject reply = Api.call(server, "GET", "/api/workspace/messages?limit=200" + before, token, null).json();
                JsonArray messages = reply.getJsonArray("messages");
                messages.forEach(m -> stored.add(m.asJsonObject().getString("id")));
                if (!reply.getBoolean("hasMore")) {
                    break;
                }
                before = "&before=" + messages.getJsonObject(messages.size() - 1).getString("id");
            }
            assertEquals(new HashSet<>(ids), stored);

            // ids keep increasing after the restart
            try (WsClient c = WsClient.connect(server.ws("/workspace/ws?username=durable"))) {
                c.nextOfType("connected", T);
                c.send("{\"type\":\"message:send\",\"text\":\"after restart\"}");
                String id = c.nextOfType("message:new", T).getJsonObject("data").getString("id");
                JsonObject newest = Api.call(server, "GET", "/api/workspace/messages?limit=2", token, null).json();
                assertEquals(id, newest.getJsonArray("messages").getJsonObject(0).getString("id"));
                assertEquals(ids.get(299), newest.getJsonArray("messages").getJsonObject(1).getString("id"));
            }
        }
    }
}
