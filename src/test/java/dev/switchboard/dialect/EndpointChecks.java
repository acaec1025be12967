package dev.switchboard.dialect;

import dev.switchboard.hub.boundary.Hub;
import dev.switchboard.transport.Sockets;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;

import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The endpoints' own refusal in {@code @OnOpen}, for each endpoint's unit test: whatever the session carries
 * instead of the guard's admission for that endpoint, the connection is closed with 1008 and never reaches the hub.
 */
public final class EndpointChecks {

    private EndpointChecks() {
    }

    /** Sockets whose background work runs at once (the refusal's delayed close), without a container. */
    public static Sockets inlineSockets() {
        return new Sockets() {
            @Override
            public void background(Runnable work) {
                work.run();
            }
        };
    }

    /** Principals no endpoint may accept, whatever its policy: the guard did not admit them to {@code dialect}. */
    public static Map<String, Principal> foreign(String dialect) {
        Map<String, Principal> m = new LinkedHashMap<>();
        m.put("no principal (the guard did not run)", null);
        m.put("the container's own principal", FakeSession.token("alice"));
        m.put("an admission to another dialect", FakeSession.admission(dialect.equals("node") ? "rtc" : "node", FakeSession.token("alice")));
        return m;
    }

    /** Opens a fresh endpoint (made by {@code open}'s caller) with each principal and checks it refused. */
    public static void refusesEach(Map<String, Principal> principals, Hub hub, Consumer<Session> open) throws Exception {
        for (var entry : principals.entrySet()) {
            FakeSession fake = new FakeSession(entry.getValue(), Map.of("username", List.of("bob")));
            open.accept(fake.session());
            CloseReason reason = fake.awaitClose();
            assertEquals(1008, reason.getCloseCode().getCode(), entry.getKey());
            assertEquals(0, hub.connectionCount(), entry.getKey() + ": never registered with the hub");
        }
    }
}
