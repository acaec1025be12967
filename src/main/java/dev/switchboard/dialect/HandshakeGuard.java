package dev.switchboard.dialect;

import dev.switchboard.common.ClientAddresses;
import dev.switchboard.common.JsonText;
import dev.switchboard.common.Meters;

import dev.switchboard.auth.control.AuthFailures;
import dev.switchboard.auth.control.InvalidTokenException;
import dev.switchboard.auth.control.TokenVerifier;
import dev.switchboard.auth.entity.TokenPrincipal;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.security.Principal;
import java.util.Enumeration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * Sees every request (web.xml maps it to {@code /*}, ahead of the container's WebSocket upgrade filter) and stops
 * any WebSocket upgrade attempt that does not pass, before the container can upgrade it:
 * <ol>
 * <li>the raw request path (URI minus context path, not decoded, not normalised) must be exactly one dialect's
 *     path, else 404: the container routes the decoded, normalised path, so {@code /api/ws;x=1} or
 *     {@code /%61pi/ws} would reach an endpoint under a policy read from a path it is not;</li>
 * <li>{@code Origin} in the dialect's allow-list (403);</li>
 * <li>the token, strictly verified, as the dialect's policy demands (401 with the node spec's bodies);</li>
 * <li>a connection slot of the dialect, in total and for the client's address, and for handshakes without a token
 *     the dialect's connect rate (503/429, or the dialect's in-band refusal).</li>
 * </ol>
 * A refused handshake never reaches the endpoint, so no session exists for it. The verdict travels to the endpoint
 * as the request's user principal (an {@link Admission}), which the endpoint checks again itself.
 * Requests that are not upgrade attempts pass untouched.
 */
public class HandshakeGuard extends HttpFilter {

    private static final Logger LOG = Logger.getLogger(HandshakeGuard.class.getName());
    static final String SUBPROTOCOL_PREFIX = "access_token.";
    private static final int SWITCHING_PROTOCOLS = 101;
    private static final AtomicBoolean warnedForwarded = new AtomicBoolean();

    @Inject
    Dialects dialects;

    @Inject
    TokenVerifier verifier;

    @Inject
    OriginPolicy origins;

    @Inject
    AuthFailures failures;

    @Inject
    Admissions admissions;

    @Inject
    ClientAddresses clients;

    private Meters.Counter refusals;

    @Inject
    void meters(Meters meters) {
        refusals = meters.counter("switchboard_handshake_refusals_total",
                "WebSocket handshakes refused, by reason (path, early_data, origin, token_missing, token_invalid, limit, address_limit, rate)", "reason");
    }

    private void refused(String reason) {
        if (refusals != null) {
            refusals.increment(reason);
        }
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (response.isCommitted()) {
            // Not a request of its own: Payara Micro (Grizzly, Catalina) runs the request of an upgraded connection
            // through the filters once more when the client breaks the connection off after the server closed the
            // WebSocket (a stalled client closed 1013, then aborted), its 101 long sent. Passed on, it reached
            // Tyrus's filter, which no longer saw a key (HandshakeRelease emptied the headers) and handed it to the
            // default servlet, whose error page failed on the committed response (a WARNING with an
            // IllegalStateException per connection); with the headers kept (release-handshake=false) HTTP workers
            // were seen waiting in Tyrus's upgrade latch, most likely Tyrus upgrading the dead connection again.
            // Nothing can be answered: stop here. A warning: it means the connection was read after its upgrade
            // ended, with a request object Grizzly had already recycled (transport.tyrus.LateReads prevents it on
            // Payara), and another request may be using that object.
            LOG.warning(() -> "ws.request.redispatched-after-commit path=\"" + printable(request.getRequestURI()) + "\"");
            return;
        }
        if (!upgradeAttempt(request)) {
            chain.doFilter(request, response);
            return;
        }
        String path = rawPath(request);
        Dialect dialect = path == null ? null : dialects.at(path);
        if (dialect == null) {
            LOG.info(() -> "ws.handshake.refused reason=path path=\"" + printable(request.getRequestURI()) + "\"");
            refused("path");
            refuse(response, HttpServletResponse.SC_NOT_FOUND, "Not a WebSocket endpoint");
            return;
        }
        if (request.getInputStream().available() > 0) {
            // RFC 6455 4.1: a client sends nothing after its handshake until it has the server's answer. Bytes that
            // came with the request would be the first thing the upgraded connection reads, and on Payara Micro
            // Tyrus then waits in init() for its own init to end: each such connection would hold one HTTP worker
            // for good (32 of them stop the server). Refused before anything is upgraded.
            LOG.info(() -> "ws.handshake.refused reason=early_data path=" + dialect.path());
            refused("early_data");
            refuse(response, HttpServletResponse.SC_BAD_REQUEST, "Data sent before the handshake completed");
            return;
        }
        if (!origins.allowed(request.getHeader("Origin"), request.getHeader("Host"), dialect.origins())) {
            LOG.info(() -> "ws.handshake.refused reason=origin path=" + dialect.path());
            refused("origin");
            refuse(response, HttpServletResponse.SC_FORBIDDEN, "Origin not allowed");
            return;
        }
        Dialect.Auth auth = dialect.auth();
        String token = token(request);
        TokenPrincipal verified = null;
        String rejected = null;
        if (token == null) {
            if (auth == Dialect.Auth.REQUIRED) {
                refused("token_missing");
                refuse(response, HttpServletResponse.SC_UNAUTHORIZED, "Missing authentication token");
                return;
            }
        } else {
            try {
                verified = verifier.verify(token);
            } catch (InvalidTokenException e) {
                failures.record();
                LOG.info(() -> "ws.handshake.refused reason=token detail=\"" + e.getMessage() + "\" path=" + dialect.path());
                if (auth != Dialect.Auth.IN_BAND) {
                    refused("token_invalid");
                    refuse(response, HttpServletResponse.SC_UNAUTHORIZED, "Invalid authentication token");
                    return;
                }
                rejected = e.getMessage();
            }
        }
        ClientAddresses.Client client = clients.of(request);
        if (client.loopback() && request.getHeader("X-Forwarded-For") != null && !warnedForwarded.getAndSet(true)) {
            LOG.warning("ws.handshake.forwarded-by-untrusted-loopback-proxy: a proxy on this host forwards handshakes but is"
                    + " not in switchboard.trusted-proxies, so all its clients count as one loopback client (logged once)");
        }
        Admissions.Verdict verdict = admissions.admit(dialect, verified, rejected, client);
        if (verdict instanceof Admissions.Refusal r) {
            if (r.retryAfterSeconds() > 0) {
                response.setHeader("Retry-After", String.valueOf(r.retryAfterSeconds()));
            }
            refused(r.status() == 503 ? "limit" : r.retryAfterSeconds() > 0 ? "rate" : "address_limit");
            refuse(response, r.status(), r.message());
            return;
        }
        Admission admission = (Admission) verdict;
        try {
            chain.doFilter(new Admitted(request, admission), response);
        } finally {
            if (response.getStatus() != SWITCHING_PROTOCOLS) {
                admission.release(); // the container did not upgrade it (bad version, say): no endpoint will
            }
        }
    }

    /**
     * A {@code Sec-WebSocket-Key} (the one header Tyrus upgrades on), or an {@code Upgrade} header naming anything but
     * {@code h2c}. {@code h2c} alone is left alone: Grizzly switches such a connection to HTTP/2 before any filter runs,
     * the request then continues as an ordinary one (java.net.http sends it on every first cleartext request), and
     * without a key no WebSocket can come of it.
     */
    static boolean upgradeAttempt(HttpServletRequest request) {
        if (request.getHeader("Sec-WebSocket-Key") != null) {
            return true;
        }
        Enumeration<String> upgrades = request.getHeaders("Upgrade");
        while (upgrades != null && upgrades.hasMoreElements()) {
            for (String protocol : upgrades.nextElement().split(",", -1)) {
                if (!protocol.trim().equalsIgnoreCase("h2c")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The request URI after the context path, as the client sent it; null when it does not start with the context path. */
    static String rawPath(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        if (uri == null || context == null || !uri.startsWith(context)) {
            return null;
        }
        return uri.substring(context.length());
    }

    /** The token from {@code ?token=}, {@code Authorization: Bearer}, or the subprotocol {@code access_token.<jwt>}. */
    static String token(HttpServletRequest request) {
        String query = request.getParameter("token");
        if (query != null && !query.isBlank()) {
            return query.trim();
        }
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        var protocols = request.getHeaders("Sec-WebSocket-Protocol");
        while (protocols != null && protocols.hasMoreElements()) {
            for (String p : protocols.nextElement().split(",")) {
                String candidate = p.trim();
                if (candidate.startsWith(SUBPROTOCOL_PREFIX)) {
                    return candidate.substring(SUBPROTOCOL_PREFIX.length());
                }
            }
        }
        return null;
    }

    /** A client's path for a log line: bounded, without control characters. */
    static String printable(String s) {
        if (s == null) {
            return "";
        }
        String cut = s.length() > 200 ? s.substring(0, 200) + "..." : s;
        return cut.replaceAll("[\\p{Cntrl}\"\\\\]", "?");
    }

    private static void refuse(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(JsonText.object().add("error", message).build().toString());
    }

    /** The admitted request: its user principal is the admission, its user and roles the verified caller's. */
    private static final class Admitted extends HttpServletRequestWrapper {

        private final Admission admission;

        Admitted(HttpServletRequest request, Admission admission) {
            super(request);
            this.admission = admission;
        }

        @Override
        public Principal getUserPrincipal() {
            return admission;
        }

        @Override
        public String getRemoteUser() {
            return admission.token() == null ? null : admission.token().getName();
        }

        @Override
        public boolean isUserInRole(String role) {
            return admission.token() != null && admission.token().inGroup(role);
        }
    }
}
