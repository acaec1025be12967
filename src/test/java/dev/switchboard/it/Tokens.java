package dev.switchboard.it;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Forged tokens for the attack tests. Most are signed with the server's REAL key (read from its data folder),
 * so that only the claim under test is wrong.
 */
public final class Tokens {

    private final RSAPrivateCrtKey key;
    private final byte[] publicKeyPem;

    public Tokens(AppServer server) throws Exception {
        String pem = Files.readString(server.dataDir().resolve("keys/jwt-signing-key.pem"));
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        key = (RSAPrivateCrtKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
        var pub = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
        publicKeyPem = ("-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(pub.getEncoded())
                + "\n-----END PUBLIC KEY-----\n").getBytes(StandardCharsets.UTF_8);
    }

    public JWTClaimsSet.Builder validClaims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer("switchboard").subject("mallory").claim("upn", "mallory")
                .claim("groups", List.of("admin")).issueTime(Date.from(now)).notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(600))).audience(SharedServer.AUDIENCE);
    }

    public String rs256(UnaryOperator<JWTClaimsSet.Builder> claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).build(),
                claims.apply(validClaims()).build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    /** A token as the identity provider would sign it: ES256 with {@code key}, its issuer and name claims. */
    public static String idp(java.security.KeyPair key, UnaryOperator<JWTClaimsSet.Builder> claims) throws Exception {
        return idp(key, null, claims);
    }

    /** The same with a {@code kid} header, as every real identity provider sends it (null: none). */
    public static String idp(java.security.KeyPair key, String kid, UnaryOperator<JWTClaimsSet.Builder> claims) throws Exception {
        Instant now = Instant.now();
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder().issuer(SharedServer.IDP_ISSUER).subject("f81d4fae-7dec")
                .claim("preferred_username", "alice").claim("groups", List.of("operator"))
                .audience(SharedServer.AUDIENCE).issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)));
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT).keyID(kid).build(),
                claims.apply(b).build());
        jwt.sign(new com.nimbusds.jose.crypto.ECDSASigner((java.security.interfaces.ECPrivateKey) key.getPrivate()));
        return jwt.serialize();
    }

    /** The classic key-confusion attack: HMAC-SHA256 with the server's public key as the shared secret. */
    public String hs256WithPublicKey() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), validClaims().build());
        jwt.sign(new MACSigner(publicKeyPem));
        return jwt.serialize();
    }

    /** {@code alg: none} with valid claims and an empty signature. */
    public String none() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = b64.encodeToString(validClaims().build().toString().getBytes(StandardCharsets.UTF_8));
        return header + "." + payload + ".";
    }

    /** A valid token whose payload was changed after signing (groups widened). */
    public String tampered(String validToken) {
        String[] parts = validToken.split("\\.");
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"sub\":\"", "\"sub\":\"x");
        return parts[0] + "." + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    }
}
