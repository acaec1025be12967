package dev.switchboard.dialect;

import dev.switchboard.auth.entity.TokenPrincipal;

import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;

import java.lang.reflect.Proxy;
import java.security.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket session for plain unit tests of the endpoints' own checks (no container can be had in a unit test):
 * it carries a chosen user principal, records text sent and the close, and refuses everything else loudly.
 */
public final class FakeSession {

    public final List<String> sent = new CopyOnWriteArrayList<>();
    public final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
    private final Principal principal;
    private final Map<String, List<String>> parameters;

    public FakeSession(Principal principal, Map<String, List<String>> parameters) {
        this.principal = principal;
        this.parameters = parameters;
    }

    /** A token principal as the verifier makes one. */
    public static TokenPrincipal token(String name) {
        return new TokenPrincipal(name, name, Set.of(), Instant.now().plusSeconds(600), "switchboard", true);
    }

    /** An admission as the guard makes one, for {@code dialect}, holding no slot. */
    public static Admission admission(String dialect, TokenPrincipal token) {
        return new Admission(dialect, token, null, "192.0.2.1", null, () -> { });
    }

    public CloseReason awaitClose() throws Exception {
        return closed.get(10, TimeUnit.SECONDS);
    }

    public Session session() {
        RemoteEndpoint.Async remote = (RemoteEndpoint.Async) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {RemoteEndpoint.Async.class}, (proxy, method, args) -> {
                    if (method.getName().equals("sendText") && args.length == 2) {
                        sent.add((String) args[0]);
                        ((jakarta.websocket.SendHandler) args[1]).onResult(new SendResult());
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getUserPrincipal" -> principal;
                    case "getId" -> "fake-session";
                    case "isOpen" -> !closed.isDone();
                    case "getAsyncRemote" -> remote;
                    case "getRequestParameterMap" -> parameters;
                    case "close" -> {
                        closed.complete(args == null ? new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "")
                                : (CloseReason) args[0]);
                        yield null;
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "FakeSession";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
