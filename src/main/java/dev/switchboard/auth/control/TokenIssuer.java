package dev.switchboard.auth.control;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import dev.switchboard.common.ConfigLists;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Signs this server's own RS256 tokens, in the claim shape MicroProfile JWT expects (upn, groups). */
@ApplicationScoped
public class TokenIssuer {

    /** A signed token and when it stops being valid. */
    public record IssuedToken(String token, Instant expiresAt) {
    }

    @Inject
    SigningKeys keys;

    @Inject
    @ConfigProperty(name = "switchboard.jwt.issuer", defaultValue = "switchboard")
    String issuer;

    @Inject
    @ConfigProperty(name = "switchboard.jwt.lifetime-seconds", defaultValue = "3600")
    long lifetimeSeconds;

    @Inject
    @ConfigProperty(name = "mp.jwt.verify.audiences")
    Optional<String> audiences;

    public IssuedToken issue(String username, List<String> groups) {
        Instant now = Instant.now();
        Instant expiresAt = now.plusSeconds(lifetimeSeconds);
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(username)
                .claim("upn", username)
                .claim("groups", groups)
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(expiresAt));
        List<String> aud = ConfigLists.split(audiences);
        if (!aud.isEmpty()) {
            claims.audience(aud);
        }
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).keyID(keyId()).build();
        SignedJWT jwt = new SignedJWT(header, claims.build());
        try {
            jwt.sign(new RSASSASigner(keys.privateKey()));
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign token", e);
        }
        return new IssuedToken(jwt.serialize(), expiresAt);
    }

    public String issuer() {
        return issuer;
    }

    String keyId() {
        try {
            return new com.nimbusds.jose.jwk.RSAKey.Builder(keys.publicKey()).build().computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
