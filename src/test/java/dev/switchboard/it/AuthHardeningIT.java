package dev.switchboard.it;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Login throttling and an identity provider that publishes a rotating JWKS, on a server of their own: the limits
 * here (one password check at a time, three free failures, the production hash cost) would trip the other tests,
 * and the keys come from a URL rather than the shared server's PEM. The same server is first started without an
 * audience, which must fail its deployment.
 * <p>
 * The tests stand behind a "proxy": the server trusts 127.0.0.1 as one, so each test's {@code X-Forwarded-For}
 * is its own client address and the tests' counters never mix.
 */
class AuthHardeningIT {

    private static final String ISSUER = "https://rotating-idp.it.example/realms/main";
    private static final String AUDIENCE = "switchboard-hardening-it";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private static HttpServer jwksServer;
    private static final AtomicInteger JWKS_FETCHES = new AtomicInteger();
    private static final AtomicReference<String> JWKS = new AtomicReference<>();
    private static ECKey keyA;
    private static ECKey keyB;
    private static AppServer server;
    private static IllegalStateException startWithoutAudience;
    private static String logWithoutAudience;

    @BeforeAll
    static void start() throws Exception {
        keyA = new ECKeyGenerator(Curve.P_256).keyID("key-a").generate();
        keyB = new ECKeyGenerator(Curve.P_256).keyID("key-b").generate();
        JWKS.set(new JWKSet(keyA.toPublicJWK()).toString());
        jwksServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwksServer.createContext("/jwks", exchange -> {
            JWKS_FETCHES.incrementAndGet();
            byte[] body = JWKS.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        jwksServer.start();
        server = AppServer.create("auth-hardening", Map.ofEntries(
                Map.entry("MP_JWT_VERIFY_ISSUER", ISSUER),
                Map.entry("MP_JWT_VERIFY_PUBLICKEY_LOCATION", "http://127.0.0.1:" + jwksServer.getAddress().getPort() + "/jwks"),
                Map.entry("AUTH_JWKS_ALLOW_HTTP", "true"),
                // a window no test run outlasts: within it, one refetch and no more
                Map.entry("AUTH_JWKS_REFETCH_MIN_INTERVAL_SECONDS", "900"),
                Map.entry("AUTH_JWKS_CACHE_SECONDS", "1800"),
                Map.entry("AUTH_PASSWORD_ITERATIONS", "210000"),
                Map.entry("AUTH_LOGIN_MAX_CONCURRENT", "1"),
                Map.entry("AUTH_LOGIN_USER_FREE_FAILURES", "3"),
                Map.entry("AUTH_LOGIN_ADDRESS_FREE_FAILURES", "6"),
                Map.entry("AUTH_LOGIN_BACKOFF_BASE_SECONDS", "3"),
                Map.entry("AUTH_LOGIN_BACKOFF_MAX_SECONDS", "6"),
                Map.entry("SWITCHBOARD_TRUSTED_PROXIES", "127.0.0.1")));
        startWithoutAudience = assertThrows(IllegalStateException.class, server::start);
        logWithoutAudience = server.log();
        server.env("MP_JWT_VERIFY_AUDIENCES", AUDIENCE).start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (jwksServer != null) {
            jwksServer.stop(0);
        }
    }

    private record Reply(int status, String body, String retryAfter) {
        JsonObject json() {
            try (var reader = Json.createReader(new StringReader(body))) {
                return reader.readObject();
            }
        }
    }

    private static Reply login(String username, String password, String clientAddress) {
        String body = Json.createObjectBuilder().add("username", username).add("password", password).build().toString();
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(server.http("/api/auth/login"))
                    .header("Content-Type", "application/json").header("X-Forwarded-For", clientAddress)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body(), r.headers().firstValue("Retry-After").orElse(null));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String token(ECKey key, String kid) throws Exception {
        Instant now = Instant.now();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT).keyID(kid).build(),
                new JWTClaimsSet.Builder().issuer(ISSUER).subject("rotating-user").claim("preferred_username", "rita")
                        .audience(AUDIENCE).issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300))).build());
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    private static int services(String token) {
        return Api.call(server, "GET", "/api/services", token, null).status();
    }

    @Test
    void anIdentityProviderWithoutAudienceFailsTheDeploymentWithAClearMessage() {
        assertTrue(startWithoutAudience.getMessage().contains("failed to deploy")
                || startWithoutAudience.getMessage().contains("not ready"), startWithoutAudience.getMessage());
        assertTrue(logWithoutAudience.contains("auth.config.invalid"), "the reason is logged");
        assertTrue(logWithoutAudience.contains("mp.jwt.verify.issuer is set but mp.jwt.verify.audiences is not"));
    }

    @Test
    void fortyWrongPasswordsAreThrottledAndTheRightOneWorksOnceTheBackoffHasPassed() throws Exception {
        String address = "203.0.113.10";
        Reply throttled = null;
        int refused = 0;
        for (int i = 0; i < 40 && throttled == null; i++) {
            Reply r = login("admin", "wrong-" + i, address);
            if (r.status() == 429) {
                throttled = r;
            } else {
                assertEquals(401, r.status(), r.body());
                refused++;
            }
        }
        assertNotNull(throttled, "40 wrong passwords, never throttled");
        assertTrue(refused >= 4, "three free failures and the one that set the lock are checked: " + refused);
        assertEquals("Too many failed logins; retry later", throttled.json().getString("error"));
        assertNotNull(throttled.retryAfter(), "429 carries Retry-After");
        assertTrue(Long.parseLong(throttled.retryAfter()) >= 1);

        // the right password is refused like any other while the name is locked, from any address
        Reply during = login("admin", AppServer.ADMIN_PASSWORD, address);
        assertEquals(429, during.status(), "a lock must not tell whether the password was right");
        assertEquals(429, login("admin", AppServer.ADMIN_PASSWORD, "198.51.100.77").status(), "the name is locked, not one address");

        Thread.sleep(Long.parseLong(during.retryAfter()) * 1000);
        Reply ok = login("admin", AppServer.ADMIN_PASSWORD, address);
        assertEquals(200, ok.status(), ok.body());
        // the success cleared the name's counter: a wrong password is a plain 401 again
        assertEquals(401, login("admin", "wrong-again", address).status());
    }

    @Test
    void oneAddressGuessingManyNamesIsThrottledOnItsOwn() {
        String address = "203.0.113.20";
        Reply throttled = null;
        for (int i = 0; i < 40 && throttled == null; i++) {
            Reply r = login("nobody-" + i + "-" + UUID.randomUUID(), "guess", address);
            if (r.status() == 429) {
                throttled = r;
            } else {
                assertEquals(401, r.status(), r.body());
            }
        }
        assertNotNull(throttled, "40 names guessed from one address, never throttled");
        assertNotNull(throttled.retryAfter());
        assertEquals(401, login("nobody-" + UUID.randomUUID(), "guess", "203.0.113.21").status(), "another address is not locked");
    }

    @Test
    void concurrentPasswordChecksAreBoundedAndTheRestAre429() throws Exception {
        int n = 12;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                replies.add(pool.submit(() -> {
                    go.await();
                    return login("admin", AppServer.ADMIN_PASSWORD, "203.0.113.30");
                }));
            }
            go.countDown();
            int ok = 0;
            Reply busy = null;
            for (Future<Reply> f : replies) {
                Reply r = f.get();
                if (r.status() == 200) {
                    ok++;
                } else {
                    assertEquals(429, r.status(), r.body());
                    busy = r;
                }
            }
            assertTrue(ok >= 1, "at least one check ran");
            assertNotNull(busy, n + " logins at once, all checked: the bound of one is not enforced");
            assertEquals("Too many logins in progress; retry later", busy.json().getString("error"));
            assertEquals("1", busy.retryAfter());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aJwksIsRefetchedExactlyOnceForAnUnknownKidAndNeverForMadeUpOnes() throws Exception {
        assertEquals(200, services(token(keyA, "key-a")));
        assertEquals(200, services(token(keyA, "key-a")));
        int before = JWKS_FETCHES.get();
        assertTrue(before >= 1, "the key set was fetched");
        JWKS.set(new JWKSet(List.of(keyA.toPublicJWK(), keyB.toPublicJWK())).toString()); // the provider rotates
        assertEquals(200, services(token(keyB, "key-b")), "a new kid: refetched, then verified");
        assertEquals(before + 1, JWKS_FETCHES.get(), "exactly one refetch");
        for (int i = 0; i < 10; i++) {
            assertEquals(401, services(token(keyB, "made-up-" + i)));
        }
        assertEquals(200, services(token(keyB, "key-b")));
        assertEquals(before + 1, JWKS_FETCHES.get(), "made-up kids fetch nothing more");
        // and a token signed by neither key, naming a known kid, is still refused
        ECKey stranger = new ECKeyGenerator(Curve.P_256).generate();
        assertEquals(401, services(token(stranger, "key-a")));
    }
}
