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
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.switchboard.auth.entity.TokenPrincipal;
import dev.switchboard.common.ConfigLists;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Strict verification of bearer tokens: RS256 or ES256 only (never {@code none}, never HS*), a valid signature
 * by a trusted key, {@code exp} required and not past, {@code nbf} not in the future, the issuer one we trust,
 * and the audience when {@code mp.jwt.verify.audiences} is set.
 * <p>
 * Trusted: this server's own signing key for its own issuer, and an identity provider configured with the
 * standard MicroProfile JWT keys ({@code mp.jwt.verify.issuer} with {@code mp.jwt.verify.publickey} or
 * {@code mp.jwt.verify.publickey.location}). One configured key (PEM, or a single JWK) verifies the provider's
 * tokens whatever their {@code kid}: identity providers put a {@code kid} on every token, and an operator who
 * pasted one key has said which key it is. A JWKS is matched by {@code kid} (its keys without one match any);
 * one fetched from a URL is refetched when a token names a {@code kid} it lacks (key rotation), at most twice per
 * {@code auth.jwks.refetch-min-interval-seconds}, so that made-up {@code kid}s cannot make us fetch in a loop.
 * <p>
 * An identity provider's user is {@code <issuer>|<subject>} (see {@link TokenPrincipal}); its roles are only
 * those {@code auth.idp.group-map} gives its groups. A misconfigured identity provider fails the deployment
 * (an issuer without an audience, without a key, or with an {@code http:} key URL).
 */
@ApplicationScoped
public class TokenVerifier {

    private static final Logger LOG = Logger.getLogger(TokenVerifier.class.getName());
    private static final Set<JWSAlgorithm> ALLOWED = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
    /** The longest user key the stores take (mailbox, upload owner: varchar(256)). */
    static final int MAX_IDENTITY = 256;
    private static final int MAX_ISSUER = 200;
    private static final int MAX_DISPLAY_NAME = 256;

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

    @Inject
    @ConfigProperty(name = "auth.jwks.allow-http", defaultValue = "false")
    boolean allowHttp;

    @Inject
    @ConfigProperty(name = "auth.jwks.refetch-min-interval-seconds", defaultValue = "30")
    long refetchMinIntervalSeconds;

    @Inject
    @ConfigProperty(name = "auth.jwks.cache-seconds", defaultValue = "300")
    long jwksCacheSeconds;

    @Inject
    @ConfigProperty(name = "auth.idp.group-map")
    Optional<String> groupMapping;

    @Inject
    @ConfigProperty(name = "auth.idp.groups-claim", defaultValue = "groups")
    String groupsClaim;

    private String trustedIdp;
    private JWKSource<SecurityContext> idpKeys;
    /** One configured key: used whatever {@code kid} a token names. */
    private boolean singleIdpKey;
    private GroupMap groupMap = GroupMap.parse(null);
    private List<String> expectedAudiences = List.of();

    @PostConstruct
    void init() {
        expectedAudiences = ConfigLists.split(audiences);
        trustedIdp = idpIssuer.map(String::trim).filter(s -> !s.isEmpty()).orElse(null);
        if (trustedIdp == null) {
            if (present(idpKey) || present(idpKeyLocation)) {
                LOG.warning("auth.idp.ignored reason=\"mp.jwt.verify.publickey* is set but mp.jwt.verify.issuer is not\"");
            }
            return;
        }
        try {
            groupMap = GroupMap.parse(groupMapping.orElse(null));
        } catch (IllegalArgumentException e) {
            throw refuse(e.getMessage());
        }
        if (expectedAudiences.isEmpty()) {
            throw refuse("mp.jwt.verify.issuer is set but mp.jwt.verify.audiences is not: without an audience, "
                    + "tokens the identity provider issued for any other application would be accepted here. "
                    + "Set mp.jwt.verify.audiences (MP_JWT_VERIFY_AUDIENCES) to this server's client id");
        }
        if (trustedIdp.equals(issuer.issuer())) {
            throw refuse("mp.jwt.verify.issuer equals switchboard.jwt.issuer (" + trustedIdp
                    + "): the identity provider's users would be taken for local users");
        }
        if (trustedIdp.length() > MAX_ISSUER) {
            throw refuse("mp.jwt.verify.issuer is longer than " + MAX_ISSUER + " characters");
        }
        try {
            if (present(idpKey)) {
                keysFromText(idpKey.get());
            } else if (present(idpKeyLocation)) {
                String location = idpKeyLocation.get().trim();
                if (location.startsWith("https://") || location.startsWith("http://")) {
                    if (location.startsWith("http://") && !allowHttp) {
                        throw refuse("mp.jwt.verify.publickey.location is an http:// URL: the identity provider's keys "
                                + "must come over https (auth.jwks.allow-http=true allows http, for tests only)");
                    }
                    if (refetchMinIntervalSeconds >= jwksCacheSeconds) {
                        throw refuse("auth.jwks.refetch-min-interval-seconds must be less than auth.jwks.cache-seconds");
                    }
                    idpKeys = remoteKeys(URI.create(location).toURL());
                    singleIdpKey = false;
                } else {
                    Path file = Path.of(location.startsWith("file:") ? URI.create(location).getPath() : location);
                    keysFromText(Files.readString(file));
                }
            } else {
                throw refuse("mp.jwt.verify.issuer is set but neither mp.jwt.verify.publickey nor "
                        + "mp.jwt.verify.publickey.location is: the identity provider's tokens could never verify");
            }
        } catch (IOException | ParseException | GeneralSecurityException | JOSEException | IllegalArgumentException e) {
            throw refuse("cannot read the identity provider's key (mp.jwt.verify.publickey*): " + e.getMessage());
        }
        LOG.info(() -> "auth.idp.configured issuer=" + trustedIdp + " keys=" + (singleIdpKey ? "single" : "set")
                + " audiences=" + expectedAudiences.size() + " mapped-groups=" + groupMap.size());
    }

    /** Forces the checks of {@link #init()} at deployment (see {@code AuthSettingsCheck}). */
    public void checkSettings() {
        // nothing: calling it creates the bean, and init() throws when the settings are wrong
    }

    private static IllegalStateException refuse(String reason) {
        LOG.severe(() -> "auth.config.invalid reason=\"" + reason + "\"");
        return new IllegalStateException("Invalid identity provider settings: " + reason);
    }

    private void keysFromText(String text) throws ParseException, GeneralSecurityException, JOSEException {
        JWKSet set = parseKeys(text);
        idpKeys = new ImmutableJWKSet<>(set);
        singleIdpKey = !isKeySet(text);
    }

    private JWKSource<SecurityContext> remoteKeys(java.net.URL url) {
        return JWKSourceBuilder.<SecurityContext>create(url, new DefaultResourceRetriever(2000, 2000, 256 * 1024))
                .cache(TimeUnit.SECONDS.toMillis(jwksCacheSeconds), TimeUnit.SECONDS.toMillis(15))
                .rateLimited(TimeUnit.SECONDS.toMillis(refetchMinIntervalSeconds))
                .retrying(false)
                .build();
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
            throw new InvalidTokenException("algorithm not allowed: " + printable(String.valueOf(header.getAlgorithm())));
        }
        String iss = claims.getIssuer();
        if (iss == null) {
            throw new InvalidTokenException("no issuer");
        }
        boolean local = iss.equals(issuer.issuer());
        if (!local && (idpKeys == null || !iss.equals(trustedIdp))) {
            throw new InvalidTokenException("untrusted issuer " + printable(iss));
        }
        if (!(local ? ownSignatureValid(jwt) : idpSignatureValid(jwt))) {
            throw new InvalidTokenException("signature not valid for issuer " + printable(iss));
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
        if (!expectedAudiences.isEmpty()
                && (claims.getAudience() == null || claims.getAudience().stream().noneMatch(expectedAudiences::contains))) {
            throw new InvalidTokenException("audience mismatch");
        }
        if (local) {
            String name = firstNonBlank(claim(claims, "upn"), claim(claims, "preferred_username"), claims.getSubject());
            if (name == null) {
                throw new InvalidTokenException("no subject");
            }
            return new TokenPrincipal(name, name, strings(claims.getClaim("groups")), exp.toInstant(), iss, true);
        }
        String subject = claims.getSubject();
        if (subject == null || subject.isBlank()) {
            throw new InvalidTokenException("no subject");
        }
        String shown = firstNonBlank(claim(claims, "preferred_username"), claim(claims, "upn"), subject);
        if (shown.length() > MAX_DISPLAY_NAME) {
            shown = shown.substring(0, MAX_DISPLAY_NAME);
        }
        return new TokenPrincipal(identity(iss, subject), shown, groupMap.rolesOf(strings(groupsOf(claims))),
                exp.toInstant(), iss, false);
    }

    /**
     * {@code <issuer>|<subject>}: the subject is what an identity provider promises to keep unique and stable
     * within its issuer (names change and are reused). An issuer holds no {@code |} (a URL), so the first one
     * separates the two. A subject too long for the stores is replaced by its SHA-256, still unique.
     */
    static String identity(String iss, String subject) {
        String plain = iss + TokenPrincipal.SCOPE_SEPARATOR + subject;
        if (plain.length() <= MAX_IDENTITY) {
            return plain;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(subject.getBytes(StandardCharsets.UTF_8));
            return iss + TokenPrincipal.SCOPE_SEPARATOR + "sha256:" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean ownSignatureValid(SignedJWT jwt) throws InvalidTokenException {
        try {
            return JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm()) && jwt.verify(new RSASSAVerifier(own.publicKey()));
        } catch (JOSEException | IllegalStateException e) {
            throw new InvalidTokenException("signature check failed", e);
        }
    }

    private boolean idpSignatureValid(SignedJWT jwt) throws InvalidTokenException {
        try {
            for (JWK key : idpKeys.get(new JWKSelector(matcher(jwt.getHeader(), singleIdpKey)), null)) {
                if (jwt.verify(verifierFor(key))) {
                    return true;
                }
            }
            return false;
        } catch (KeySourceException e) {
            throw new InvalidTokenException("identity provider keys unavailable or rate-limited: " + e.getMessage(), e);
        } catch (JOSEException | IllegalStateException e) {
            throw new InvalidTokenException("signature check failed", e);
        }
    }

    /**
     * The keys that may have signed a token with this header: of the algorithm's type (and curve), meant for
     * signatures or for nothing in particular, for this algorithm or for none. In a key set, also the token's
     * {@code kid} or none at all; nimbus's own {@code JWKMatcher.forJWSHeader} demands the {@code kid} and so
     * refuses a key without one, which is how the identity provider's tokens came to be refused.
     */
    static JWKMatcher matcher(JWSHeader header, boolean singleKey) {
        JWSAlgorithm alg = header.getAlgorithm();
        JWKMatcher.Builder m = new JWKMatcher.Builder()
                .keyType(KeyType.forAlgorithm(alg))
                .keyUses(KeyUse.SIGNATURE, null)
                .algorithms(alg, null);
        if (JWSAlgorithm.ES256.equals(alg)) {
            m.curves(Curve.P_256);
        }
        if (!singleKey && header.getKeyID() != null) {
            m.keyIDs(header.getKeyID(), null);
        }
        return m.build();
    }

    private static JWSVerifier verifierFor(JWK key) throws JOSEException {
        if (key instanceof RSAKey rsa) {
            return new RSASSAVerifier(rsa);
        }
        if (key instanceof ECKey ec) {
            return new ECDSAVerifier(ec);
        }
        throw new JOSEException("unsupported key type " + key.getKeyType());
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
        if (isKeySet(trimmed)) {
            return JWKSet.parse(trimmed);
        }
        return new JWKSet(JWK.parse(trimmed));
    }

    private static boolean isKeySet(String text) {
        return !Pem.isPem(text) && text.contains("\"keys\"");
    }

    /** The configured groups claim: a top-level claim of that name, else a dotted path ({@code realm_access.roles}). */
    private Object groupsOf(JWTClaimsSet claims) {
        Object value = claims.getClaim(groupsClaim);
        if (value != null || groupsClaim.indexOf('.') < 0) {
            return value;
        }
        Object node = claims.getClaims();
        for (String part : groupsClaim.split("\\.")) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = map.get(part);
        }
        return node;
    }

    /** Claims are the caller's text and the reason goes to the log: no line breaks or quotes, and not too much of it. */
    private static String printable(String text) {
        String cleaned = text.replaceAll("[^\\w.:/@|-]", "?");
        return cleaned.length() <= 120 ? cleaned : cleaned.substring(0, 120) + "...";
    }

    private static boolean present(Optional<String> value) {
        return value.isPresent() && !value.get().isBlank();
    }

    private static String claim(JWTClaimsSet claims, String name) {
        Object value = claims.getClaim(name);
        return value instanceof String s ? s : null;
    }

    /** A list of strings, or one string; anything else is no groups. */
    private static Set<String> strings(Object value) {
        Set<String> result = new LinkedHashSet<>();
        if (value instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof String s) {
                    result.add(s);
                }
            }
        } else if (value instanceof String s) {
            result.add(s);
        }
        return Set.copyOf(result);
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
