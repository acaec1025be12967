package dev.switchboard.auth.control;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.switchboard.auth.entity.TokenPrincipal;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import dev.switchboard.common.ConfigLists;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Strict verification of bearer tokens: RS256 or ES256 only (never {@code none}, never HS*), a valid signature
 * by a trusted key, {@code exp} required and not past, {@code nbf} not in the future, the issuer one we trust,
 * and the audience when {@code mp.jwt.verify.audiences} is set.
 * <p>
 * Trusted: this server's own signing key for its own issuer, and an identity provider configured with the
 * standard MicroProfile JWT keys ({@code mp.jwt.verify.issuer} with {@code mp.jwt.verify.publickey} or
 * {@code mp.jwt.verify.publickey.location}: PEM, JWK, JWKS, a file or an https JWKS URL).
 */
@ApplicationScoped
public class TokenVerifier {

    private static final Set<JWSAlgorithm> ALLOWED = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);

    @Inject
    SigningKeys own;

    @Inject
    TokenIssuer issuer;

    @Inject
    @ConfigProperty(name = "mp.jwt.verify.issuer")
    Optional<String> idpIssuer;

    @Inject
    @ConfigProperty(name = "mp.jwt.verify.publickey")
    Optional<String> idpKey;

    @Inject
    @ConfigProperty(name = "mp.jwt.verify.publickey.location")
    Optional<String> idpKeyLocation;

    @Inject
    @ConfigProperty(name = "mp.jwt.verify.audiences")
    Optional<String> audiences;

    @Inject
    @ConfigProperty(name = "switchboard.jwt.clock-skew-seconds", defaultValue = "30")
    long clockSkewSeconds;

    private JWKSource<SecurityContext> idpKeys;

    @PostConstruct
    void init() {
        try {
            if (idpKey.isPresent() && !idpKey.get().isBlank()) {
                idpKeys = new ImmutableJWKSet<>(parseKeys(idpKey.get()));
            } else if (idpKeyLocation.isPresent() && !idpKeyLocation.get().isBlank()) {
                String location = idpKeyLocation.get().trim();
                if (location.startsWith("https://") || location.startsWith("http://")) {
                    idpKeys = JWKSourceBuilder.create(URI.create(location).toURL()).build();
                } else {
                    Path file = Path.of(location.startsWith("file:") ? URI.create(location).getPath() : location);
                    idpKeys = new ImmutableJWKSet<>(parseKeys(Files.readString(file)));
                }
            }
        } catch (IOException | ParseException | GeneralSecurityException | JOSEException | IllegalArgumentException e) {
            throw new IllegalStateException("Cannot read the identity provider's key (mp.jwt.verify.publickey*)", e);
        }
    }

    public TokenPrincipal verify(String token) throws InvalidTokenException {
        if (token == null || token.isBlank() || token.length() > 16_384) {
            throw new InvalidTokenException("empty or oversized token");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new InvalidTokenException("not a signed JWT", e);
        }
        JWSHeader header = jwt.getHeader();
        if (!ALLOWED.contains(header.getAlgorithm())) {
            throw new InvalidTokenException("algorithm not allowed: " + header.getAlgorithm());
        }
        String iss = claims.getIssuer();
        if (iss == null) {
            throw new InvalidTokenException("no issuer");
        }
        if (!signatureValid(jwt, iss)) {
            throw new InvalidTokenException("signature not valid for issuer " + iss);
        }
        Instant now = Instant.now();
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw new InvalidTokenException("no exp");
        }
        if (now.minusSeconds(clockSkewSeconds).isAfter(exp.toInstant())) {
            throw new InvalidTokenException("expired");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.plusSeconds(clockSkewSeconds).isBefore(nbf.toInstant())) {
            throw new InvalidTokenException("not yet valid");
        }
        List<String> expected = ConfigLists.split(audiences);
        if (!expected.isEmpty() && (claims.getAudience() == null || claims.getAudience().stream().noneMatch(expected::contains))) {
            throw new InvalidTokenException("audience mismatch");
        }
        String name = firstNonBlank(claim(claims, "upn"), claim(claims, "preferred_username"), claims.getSubject());
        if (name == null) {
            throw new InvalidTokenException("no subject");
        }
        return new TokenPrincipal(name, groups(claims), exp.toInstant(), iss);
    }

    private boolean signatureValid(SignedJWT jwt, String iss) throws InvalidTokenException {
        try {
            if (iss.equals(issuer.issuer()) && JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())
                    && jwt.verify(new RSASSAVerifier(own.publicKey()))) {
                return true;
            }
            if (idpKeys != null && idpIssuer.map(iss::equals).orElse(false)) {
                List<? extends Key> candidates = new JWSVerificationKeySelector<>(jwt.getHeader().getAlgorithm(), idpKeys)
                        .selectJWSKeys(jwt.getHeader(), null);
                for (Key key : candidates) {
                    if (jwt.verify(verifierFor(key))) {
                        return true;
                    }
                }
            }
            return false;
        } catch (KeySourceException e) {
            throw new InvalidTokenException("identity provider keys unavailable", e);
        } catch (JOSEException | IllegalStateException e) {
            throw new InvalidTokenException("signature check failed", e);
        }
    }

    private static JWSVerifier verifierFor(Key key) throws JOSEException {
        if (key instanceof RSAPublicKey rsa) {
            return new RSASSAVerifier(rsa);
        }
        if (key instanceof ECPublicKey ec) {
            return new ECDSAVerifier(ec);
        }
        throw new JOSEException("unsupported key " + key.getAlgorithm());
    }

    static JWKSet parseKeys(String text) throws ParseException, GeneralSecurityException, JOSEException {
        String trimmed = text.trim();
        if (Pem.isPem(trimmed)) {
            PublicKey key = Pem.readPublicKey(trimmed);
            JWK jwk = key instanceof RSAPublicKey rsa
                    ? new RSAKey.Builder(rsa).build()
                    : new ECKey.Builder(Curve.forECParameterSpec(((ECPublicKey) key).getParams()), (ECPublicKey) key).build();
            return new JWKSet(jwk);
        }
        if (trimmed.contains("\"keys\"")) {
            return JWKSet.parse(trimmed);
        }
        return new JWKSet(JWK.parse(trimmed));
    }

    private static String claim(JWTClaimsSet claims, String name) {
        Object value = claims.getClaim(name);
        return value instanceof String s ? s : null;
    }

    private static Set<String> groups(JWTClaimsSet claims) {
        Object value = claims.getClaim("groups");
        Set<String> groups = new LinkedHashSet<>();
        if (value instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof String s) {
                    groups.add(s);
                }
            }
        }
        return Set.copyOf(groups);
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
