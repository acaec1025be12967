package dev.switchboard.dialect;

import dev.switchboard.common.ClientAddresses;
import dev.switchboard.auth.control.AuthFailures;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The guard's decisions without a container: which requests it lets by, which it refuses, what it hands on. */
class HandshakeGuardTest {

    private final AtomicReference<ServletRequest> passed = new AtomicReference<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private final StringWriter body = new StringWriter();
    private final java.util.concurrent.atomic.AtomicBoolean committed = new java.util.concurrent.atomic.AtomicBoolean();

    private HandshakeGuard guard() {
        HandshakeGuard guard = new HandshakeGuard();
        guard.dialects = Dialects.of(List.of(TestDialect.of("node", "/api/ws", Dialect.Auth.REQUIRED),
                TestDialect.of("control", "/control/ws", Dialect.Auth.OPTIONAL)));
        guard.origins = new OriginPolicy();
        guard.origins.configured = Optional.empty();
        guard.failures = new AuthFailures();
        guard.admissions = new Admissions();
        guard.clients = ClientAddresses.trusting(Optional.empty());
        return guard;
    }

    private static HttpServletRequest request(String uri, Map<String, String> headers) {
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(headers);
        return (HttpServletRequest) Proxy.newProxyInstance(HandshakeGuardTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getRequestURI" -> uri;
                    case "getContextPath" -> "";
                    case "getHeader" -> h.get((String) args[0]);
                    case "getHeaders" -> h.containsKey((String) args[0])
                            ? Collections.enumeration(List.of(h.get((String) args[0]))) : Collections.emptyEnumeration();
                    case "getParameter" -> null;
                    case "getRemoteAddr" -> "198.51.100.1";
                    case "getUserPrincipal" -> null;
                    // what came after the request's head: nothing, or the bytes a client sent before the 101
                    case "getInputStream" -> input(h.containsKey("X-Test-Early-Bytes")
                            ? Integer.parseInt(h.get("X-Test-Early-Bytes")) : 0);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static jakarta.servlet.ServletInputStream input(int available) {
        return new jakarta.servlet.ServletInputStream() {
            @Override
            public int available() {
                return available;
            }

            @Override
            public int read() {
                return -1;
            }

            @Override
            public boolean isFinished() {
                return available == 0;
            }

            @Override
            public boolean isReady() {
                return available > 0;
            }

            @Override
            public void setReadListener(jakarta.servlet.ReadListener listener) {
                throw new UnsupportedOperationException("setReadListener");
            }
        };
    }

    private HttpServletResponse response() {
        PrintWriter writer = new PrintWriter(body);
        return (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {HttpServletResponse.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "setStatus" -> {
                        status.set((Integer) args[0]);
                        yield null;
                    }
                    case "getStatus" -> status.get();
                    case "isCommitted" -> committed.get();
                    case "getWriter" -> writer;
                    case "setContentType", "setCharacterEncoding", "setHeader" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private void run(HandshakeGuard guard, HttpServletRequest request) throws Exception {
        FilterChain chain = (req, res) -> {
            passed.set(req);
            if (((HttpServletRequest) req).getUserPrincipal() instanceof Admission) {
                ((HttpServletResponse) res).setStatus(101);
            }
        };
        guard.doFilter(request, response(), chain);
    }

    @Test
    void aRequestWhoseResponseIsAlreadyCommittedGoesNoFurther() throws Exception {
        // the container's second run of an upgraded connection's request (its 101 sent), with its headers emptied
        // (HandshakeRelease) or kept: neither the default servlet nor Tyrus may see it again
        committed.set(true);
        for (Map<String, String> headers : List.of(Map.<String, String>of(),
                Map.of("Upgrade", "websocket", "Connection", "Upgrade", "Sec-WebSocket-Key", "x"))) {
            passed.set(null);
            status.set(101);
            body.getBuffer().setLength(0);
            run(guard(), request("/control/ws", headers));
            assertNull(passed.get(), headers.toString());
            assertEquals(101, status.get(), headers.toString());
            assertEquals("", body.toString(), headers.toString());
        }
    }

    @Test
    void requestsThatAreNotUpgradesPassUntouchedWhateverTheirPath() throws Exception {
        for (Map<String, String> headers : List.of(Map.<String, String>of(), Map.of("Upgrade", "h2c"), Map.of("Upgrade", " H2C "))) {
            HttpServletRequest plain = request("/api/ws;x=1", headers);
            run(guard(), plain);
            assertSame(plain, passed.get(), headers.toString());
        }
    }

    @Test
    void anUpgradeToAnythingButAnExactDialectPathIsRefusedBeforeTheContainer() throws Exception {
        for (Map<String, String> headers : List.of(Map.of("Upgrade", "websocket"), Map.of("sec-websocket-key", "x"),
                Map.of("UPGRADE", "anything"), Map.of("Upgrade", ""), Map.of("Upgrade", "h2c, websocket"),
                Map.of("Upgrade", "h2c", "Sec-WebSocket-Key", "x"))) {
            for (String uri : List.of("/api/ws;x=1", "/api/w%73", "/%61pi/ws", "/control/ws/", "/CONTROL/ws", "//control/ws")) {
                passed.set(null);
                body.getBuffer().setLength(0);
                run(guard(), request(uri, headers));
                assertNull(passed.get(), uri + " " + headers);
                assertEquals(404, status.get(), uri);
                assertEquals("{\"error\":\"Not a WebSocket endpoint\"}", body.toString().trim(), uri);
            }
        }
    }

    @Test
    void theExactPathIsAdmittedWithTheVerdictAsPrincipal() throws Exception {
        run(guard(), request("/control/ws", Map.of("Upgrade", "websocket", "Sec-WebSocket-Key", "x")));
        Admission a = assertInstanceOf(Admission.class, ((HttpServletRequest) passed.get()).getUserPrincipal());
        assertEquals("control", a.dialect());
        assertNull(a.token());
        assertEquals("198.51.100.1", a.clientAddress());
    }

    @Test
    void aRequiredTokenThatIsMissingIs401() throws Exception {
        run(guard(), request("/api/ws", Map.of("Upgrade", "websocket", "Sec-WebSocket-Key", "x")));
        assertNull(passed.get());
        assertEquals(401, status.get());
        assertEquals("{\"error\":\"Missing authentication token\"}", body.toString().trim());
    }

    @Test
    void bytesSentBeforeTheAnswerAre400AndNothingIsUpgraded() throws Exception {
        HandshakeGuard guard = guard();
        run(guard, request("/control/ws", Map.of("Upgrade", "websocket", "Sec-WebSocket-Key", "x", "X-Test-Early-Bytes", "48")));
        assertNull(passed.get());
        assertEquals(400, status.get());
        assertEquals("{\"error\":\"Data sent before the handshake completed\"}", body.toString().trim());
        assertEquals(0, guard.admissions.open("control"));
    }

    @Test
    void aSlotIsGivenBackWhenTheContainerDoesNotUpgrade() throws Exception {
        HandshakeGuard guard = guard();
        FilterChain refusing = (req, res) -> ((HttpServletResponse) res).setStatus(400);
        guard.doFilter(request("/control/ws", Map.of("Sec-WebSocket-Key", "x")), response(), refusing);
        assertEquals(0, guard.admissions.open("control"));
        run(guard, request("/control/ws", Map.of("Sec-WebSocket-Key", "x")));
        assertEquals(1, guard.admissions.open("control"), "upgraded: the slot stays until the connection is gone");
    }
}
