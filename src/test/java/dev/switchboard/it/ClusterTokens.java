package dev.switchboard.it;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import jakarta.json.JsonObject;

import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The signing key a test cluster shares ({@code SWITCHBOARD_JWT_PRIVATE_KEY}), tokens signed with it, rtc clients. */
final class ClusterTokens {

    private static final Duration T = Duration.ofSeconds(20);
    private final PrivateKey key;
    final String pem;

    ClusterTokens() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        key = generator.generateKeyPair().getPrivate();
        pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    String token(String user, List<String> groups) throws Exception {
        Instant now = Instant.now();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).build(),
                new JWTClaimsSet.Builder().issuer("switchboard").subject(user).claim("upn", user).claim("groups", groups)
                        .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600))).build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    /** A connected rtc client past its welcome. */
    Rtc.Client rtc(AppServer s, String user) throws Exception {
        WsClient ws = WsClient.connect(s.ws("/rtc/ws?token=" + token(user, List.of("user"))));
        JsonObject welcome = ws.next(T);
        assertEquals("Status", welcome.getString("type"), welcome.toString());
        return new Rtc.Client(ws, welcome.getJsonObject("data").getJsonObject("details").getString("connection_id"));
    }
}
