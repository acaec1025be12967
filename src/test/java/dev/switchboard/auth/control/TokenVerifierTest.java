package dev.switchboard.auth.control;

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

import dev.switchboard.auth.entity.TokenPrincipal;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The verifier on its own: key selection by kid, identities scoped by issuer, roles only through the group map. */
class TokenVerifierTest {

    private static final String IDP = "https://idp.test.example/realms/main";
    private static final String AUDIENCE = "switchboard-test";

    private static TokenVerifier verifier(UnaryOperator<Map<String, String>> settings) {
        Map<String, String> s = settings.apply(new java.util.HashMap<>(Map.of(
                "issuer", IDP, "audiences", AUDIENCE, "groups", "idp-admins=admin,ops=operator")));
        TokenVerifier v = new TokenVerifier();
        v.issuer = new TokenIssuer();
        v.issuer.issuer = "switchboard";
        v.idpIssuer = Optional.ofNullable(s.get("issuer"));
        v.idpKey = Optional.ofNullable(s.get("key"));
        v.idpKeyLocation = Optional.ofNullable(s.get("location"));
        v.audiences = Optional.ofNullable(s.get("audiences"));
        v.clockSkewSeconds = 30;
        v.allowHttp = Boolean.parseBoolean(s.getOrDefault("allow-http", "false"));
        v.refetchMinIntervalSeconds = 300;
        v.jwksCacheSeconds = 600;
        v.groupMapping = Optional.ofNullable(s.get("groups"));
        v.groupsClaim = s.getOrDefault("groups-claim", "groups");
        v.init();
        return v;
    }

    private static ECKey ecKey(String kid) throws Exception {
        ECKeyGenerator g = new ECKeyGenerator(Curve.P_256);
        return (kid == null ? g : g.keyID(kid)).generate();
    }

    private static String pem(ECKey key) throws Exception {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(key.toECPublicKey().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    private static String token(ECKey key, String kid, UnaryOperator<JWTClaimsSet.Builder> claims) throws Exception {
        Instant now = Instant.now();
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder().issuer(IDP).subject("f81d4fae-7dec")
                .claim("preferred_username", "alice").audience(AUDIENCE)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)));
        JWSHeader.Builder h = new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT);
        if (kid != null) {
            h.keyID(kid);
        }
        SignedJWT jwt = new SignedJWT(h.build(), claims.apply(b).build());
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    @Test
    void aPemKeyVerifiesTokensWhateverTheirKid() throws Exception {
        ECKey key = ecKey(null);
        String pem = pem(key);
        TokenVerifier v = verifier(s -> { s.put("key", pem); return s; });
        assertEquals("alice", v.verify(token(key, null, c -> c)).displayName());
        assertEquals("alice", v.verify(token(key, "rotating-kid-2026", c -> c)).displayName());
        ECKey other = ecKey(null);
        assertThrows(InvalidTokenException.class, () -> v.verify(token(other, "rotating-kid-2026", c -> c)));
    }

    @Test
    void aSingleJwkWithItsOwnKidVerifiesTokensNamingAnother() throws Exception {
        ECKey key = ecKey("configured-kid");
        TokenVerifier v = verifier(s -> { s.put("key", key.toPublicJWK().toJSONString()); return s; });
        assertEquals("alice", v.verify(token(key, "some-other-kid", c -> c)).displayName());
    }

    @Test
    void aJwksIsMatchedByKidAndItsKidlessKeysMatchAny() throws Exception {
        ECKey a = ecKey("a");
        ECKey b = ecKey("b");
        String jwks = new JWKSet(List.of(a.toPublicJWK(), b.toPublicJWK())).toString();
        TokenVerifier v = verifier(s -> { s.put("key", jwks); return s; });
        v.verify(token(a, "a", c -> c));
        v.verify(token(b, "b", c -> c));
        v.verify(token(b, null, c -> c));
        assertThrows(InvalidTokenException.class, () -> v.verify(token(b, "a", c -> c)), "a's kid, b's signature");
        ECKey kidless = ecKey(null);
        String mixed = new JWKSet(List.of(a.toPublicJWK(), kidless.toPublicJWK())).toString();
        TokenVerifier w = verifier(s -> { s.put("key", mixed); return s; });
        w.verify(token(kidless, "whatever", c -> c));
    }

    @Test
    void aJwksUrlIsRefetchedOnceForAnUnknownKidAndNotInALoop() throws Exception {
        ECKey a = ecKey("a");
        ECKey b = ecKey("b");
        AtomicReference<String> served = new AtomicReference<>(new JWKSet(a.toPublicJWK()).toString());
        AtomicInteger fetches = new AtomicInteger();
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/jwks", exchange -> {
            fetches.incrementAndGet();
            byte[] body = served.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        http.start();
        try {
            String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/jwks";
            assertThrows(IllegalStateException.class, () -> verifier(s -> { s.put("location", url); return s; }),
                    "http:// refused unless allowed");
            TokenVerifier v = verifier(s -> { s.put("location", url); s.put("allow-http", "true"); return s; });
            assertEquals(0, fetches.get(), "nothing is fetched before the first token");
            v.verify(token(a, "a", c -> c));
            v.verify(token(a, "a", c -> c));
            assertEquals(1, fetches.get());
            served.set(new JWKSet(List.of(a.toPublicJWK(), b.toPublicJWK())).toString()); // the provider rotates
            v.verify(token(b, "b", c -> c));
            assertEquals(2, fetches.get(), "one refetch for the new kid");
            for (int i = 0; i < 20; i++) {
                String kid = "made-up-" + i;
                assertThrows(InvalidTokenException.class, () -> v.verify(token(b, kid, c -> c)));
            }
            v.verify(token(b, "b", c -> c));
            assertEquals(2, fetches.get(), "made-up kids make no more fetches");
        } finally {
            http.stop(0);
        }
    }

    @Test
    void anIdpUserIsScopedByIssuerWithRolesOnlyFromTheMap() throws Exception {
        ECKey key = ecKey(null);
        String pem = pem(key);
        TokenVerifier v = verifier(s -> { s.put("key", pem); return s; });
        TokenPrincipal admin = v.verify(token(key, null, c -> c.claim("preferred_username", "admin").claim("groups", List.of("admin"))));
        assertEquals(IDP + "|f81d4fae-7dec", admin.getName());
        assertEquals("admin", admin.displayName());
        assertFalse(admin.local());
        assertEquals(Set.of(), admin.groups(), "an IdP group called admin is no role here");
        TokenPrincipal mapped = v.verify(token(key, null, c -> c.claim("groups", List.of("idp-admins", "ops", "other"))));
        assertEquals(Set.of("admin", "operator"), mapped.groups());
        assertEquals(IDP + "|f81d4fae-7dec", v.verify(token(key, null, c -> c.claim("upn", "admin"))).getName());
        assertThrows(InvalidTokenException.class, () -> v.verify(token(key, null, c -> c.subject(null))), "no subject, no identity");
    }

    @Test
    void aNestedGroupsClaimCanBeConfigured() throws Exception {
        ECKey key = ecKey(null);
        String pem = pem(key);
        TokenVerifier v = verifier(s -> { s.put("key", pem); s.put("groups-claim", "realm_access.roles"); return s; });
        TokenPrincipal p = v.verify(token(key, null, c -> c.claim("realm_access", Map.of("roles", List.of("ops")))));
        assertEquals(Set.of("operator"), p.groups());
    }

    @Test
    void aLongSubjectStillGivesABoundedIdentity() {
        String id = TokenVerifier.identity(IDP, "x".repeat(300));
        assertTrue(id.length() <= TokenVerifier.MAX_IDENTITY, id);
        assertTrue(id.startsWith(IDP + "|sha256:"));
        assertFalse(id.equals(TokenVerifier.identity(IDP, "x".repeat(301))));
    }

    @Test
    void anIdentityProviderWithoutAudienceOrKeyIsRefused() throws Exception {
        String key = pem(ecKey(null));
        IllegalStateException noAudience = assertThrows(IllegalStateException.class,
                () -> verifier(s -> { s.put("key", key); s.remove("audiences"); return s; }));
        assertTrue(noAudience.getMessage().contains("mp.jwt.verify.audiences"), noAudience.getMessage());
        assertThrows(IllegalStateException.class, () -> verifier(s -> s), "no key");
        assertThrows(IllegalStateException.class, () -> verifier(s -> { s.put("key", key); s.put("issuer", "switchboard"); return s; }),
                "the IdP's issuer may not be ours");
        assertThrows(IllegalStateException.class, () -> verifier(s -> { s.put("key", key); s.put("groups", "admin"); return s; }));
        // without an identity provider nothing is required
        verifier(s -> { s.remove("issuer"); s.remove("audiences"); return s; });
    }
}
