package dev.switchboard.it;

import java.util.Map;

/**
 * One server for every integration test that does not restart it: started on first use, killed when the
 * test JVM exits. Keep-alive is shortened (ping after 2 s of quiet, close after 5 s) so that its tests are quick.
 */
public final class SharedServer {

    private static PayaraServer server;

    private SharedServer() {
    }

    public static synchronized PayaraServer get() {
        if (server == null) {
            server = new PayaraServer("shared", Map.of(
                    "HUB_PING_INTERVAL_SECONDS", "2",
                    "HUB_PONG_TIMEOUT_SECONDS", "5",
                    "NODE_RATE_LIMIT_PER_SECOND", "2000"));
            PayaraServer s = server;
            Runtime.getRuntime().addShutdownHook(new Thread(s::kill));
            s.start();
            System.out.println("it.shared-server ready-ms=" + s.readyAfterMillis() + " port=" + s.port());
        }
        return server;
    }
}
