package dev.switchboard.auth.control;

import com.nimbusds.jwt.SignedJWT;

import dev.switchboard.auth.entity.TokenPrincipal;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The token verifier every injection point gets: {@link TokenVerifier}'s checks, then, for a token this server
 * issued to a local user, whether that user was disabled or had their tokens revoked (password reset, change of
 * groups) after the token was issued. Identity provider tokens are the provider's business and pass unchanged.
 * <p>
 * A subclass chosen as the application's alternative rather than a change inside {@link TokenVerifier}, so the
 * REST filter and every WebSocket handshake get the check without either knowing about it. The user's state is
 * cached for {@link #CACHE_MILLIS}; changes made on this instance take effect at once ({@link #forget}).
 */
@Alternative
@Priority(Interceptor.Priority.APPLICATION)
@ApplicationScoped
public class RevocationCheckingVerifier extends TokenVerifier {

    static final long CACHE_MILLIS = 5_000;

    @Inject
    Users users;

    private record State(boolean disabled, Instant validAfter, long loadedAtMillis) {
    }

    private final ConcurrentHashMap<String, State> cache = new ConcurrentHashMap<>();

    @Override
    public TokenPrincipal verify(String token) throws InvalidTokenException {
        TokenPrincipal principal = super.verify(token);
        if (!principal.issuer().equals(issuer.issuer())) {
            return principal;
        }
        State state = state(principal.name());
        if (state.disabled()) {
            throw new InvalidTokenException("user disabled");
        }
        if (state.validAfter() != null) {
            Instant issuedAt = issuedAt(token);
            if (issuedAt == null || issuedAt.isBefore(state.validAfter())) {
                throw new InvalidTokenException("token revoked");
            }
        }
        return principal;
    }

    /** Drops the cached state of a user whose status just changed on this instance. */
    public void forget(String username) {
        cache.remove(username);
    }

    private State state(String username) {
        long now = System.currentTimeMillis();
        State cached = cache.get(username);
        if (cached != null && now - cached.loadedAtMillis() < CACHE_MILLIS) {
            return cached;
        }
        State fresh = users.find(username)
                .map(u -> new State(u.disabled(), u.tokensValidAfter() == null ? null : u.tokensValidAfter().toInstant(), now))
                .orElse(new State(false, null, now));
        if (cache.size() > 10_000) {
            cache.clear();
        }
        cache.put(username, fresh);
        return fresh;
    }

    private static Instant issuedAt(String token) {
        try {
            Date iat = SignedJWT.parse(token).getJWTClaimsSet().getIssueTime();
            return iat == null ? null : iat.toInstant();
        } catch (ParseException e) {
            return null;
        }
    }
}
