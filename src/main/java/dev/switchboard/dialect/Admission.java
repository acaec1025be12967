package dev.switchboard.dialect;

import dev.switchboard.auth.entity.TokenPrincipal;

import jakarta.websocket.Session;

import java.security.Principal;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the {@link HandshakeGuard} decided for one upgrade request: the dialect it admitted the request to, the
 * verified caller (or none), the client address, and the connection slot it reserved. It travels to the endpoint as
 * the handshake's user principal, which the container hands to exactly the session made from that request, so it is
 * never shared between connections. Only this package makes one: an endpoint that finds anything else (nothing, the
 * container's own principal) knows the guard did not see its handshake and refuses the connection.
 */
public final class Admission implements Principal, Admissions.Verdict {

    private static final int PENDING = 0;
    private static final int CLAIMED = 1;
    private static final int RELEASED = 2;

    private final String dialect;
    private final TokenPrincipal token;
    private final String rejectedToken;
    private final String clientAddress;
    private final String refusal;
    private final Runnable giveBack;
    private final long issuedAtNanos = System.nanoTime();
    private final AtomicInteger state = new AtomicInteger(PENDING);

    Admission(String dialect, TokenPrincipal token, String rejectedToken, String clientAddress, String refusal, Runnable giveBack) {
        this.dialect = dialect;
        this.token = token;
        this.rejectedToken = rejectedToken;
        this.clientAddress = clientAddress;
        this.refusal = refusal;
        this.giveBack = giveBack;
    }

    /**
     * The endpoint's own check, in {@code @OnOpen}: the guard's admission of this session to {@code dialect}, when
     * it satisfies that dialect's policy as the descriptor states it now (a token where one is required); else null,
     * and the connection must be refused. Null too when the guard admitted the request to another dialect (the
     * container routed it elsewhere than the guard read it), or the admission was already claimed or given up.
     */
    public static Admission claim(Session session, Dialect dialect) {
        if (!(session.getUserPrincipal() instanceof Admission a)) {
            return null;
        }
        boolean ok = a.dialect.equals(dialect.name())
                && (dialect.auth() != Dialect.Auth.REQUIRED || a.token != null)
                && a.state.compareAndSet(PENDING, CLAIMED);
        if (!ok) {
            a.release();
            return null;
        }
        return a;
    }

    /** Gives the connection slot back; idempotent. Hang it on the hub connection ({@code whenGone}) once opened. */
    public void release() {
        if (state.getAndSet(RELEASED) != RELEASED) {
            giveBack.run();
        }
    }

    /** Gives the slot back when no endpoint claimed it in time (the upgrade failed after the guard). */
    boolean expireIfUnclaimed(long nowNanos, long maxAgeNanos) {
        if (nowNanos - issuedAtNanos > maxAgeNanos && state.compareAndSet(PENDING, RELEASED)) {
            giveBack.run();
            return true;
        }
        return false;
    }

    boolean settled() {
        return state.get() != PENDING;
    }

    public String dialect() {
        return dialect;
    }

    /** The verified caller, or null for an anonymous connection. */
    public TokenPrincipal token() {
        return token;
    }

    /** For {@link Dialect.Auth#IN_BAND} dialects: why the handshake's token failed verification, or null. */
    public String rejectedToken() {
        return rejectedToken;
    }

    public String clientAddress() {
        return clientAddress;
    }

    /**
     * For dialects whose refusals are in-band ({@link Dialect.Limits#refusedInBand}): why no slot was given, in
     * words for the client; the endpoint refuses the connection in its own protocol. Null: admitted.
     */
    public String refusal() {
        return refusal;
    }

    @Override
    public String getName() {
        return token == null ? "" : token.getName();
    }

    @Override
    public String toString() {
        return "Admission[dialect=" + dialect + ", user=" + getName() + ", client=" + clientAddress + "]";
    }
}
