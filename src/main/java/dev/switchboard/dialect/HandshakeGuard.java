package dev.switchboard.dialect;

import dev.switchboard.common.JsonText;

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
import java.util.logging.Logger;

/**
 * Runs before every WebSocket upgrade (declared in web.xml so it precedes the container's upgrade filter):
 * checks {@code Origin} against the allow-list (403), then finds and strictly verifies the token (401 with the
 * node spec's JSON bodies). A refused handshake never reaches the endpoint, so no session exists for it.
 * The verified caller travels to the endpoint as the request's user principal.
 */
public class HandshakeGuard extends HttpFilter {

    private static final Logger LOG = Logger.getLogger(HandshakeGuard.class.getName());
    static final String SUBPROTOCOL_PREFIX = "access_token.";

    @Inject
    TokenVerifier verifier;

    @Inject
    OriginPolicy origins;

    @Inject
    AuthFailures failures;

    @Inject
    DialectPolicies policies;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        DialectPolicies.Policy policy = policies.policyFor(path);
        DialectPolicies.Auth auth = policy.auth();
        if (!origins.allowed(request.getHeader("Origin"), request.getHeader("Host"), policy.origins())) {
            LOG.info(() -> "ws.handshake.refused reason=origin path=" + path);
            refuse(response, HttpServletResponse.SC_FORBIDDEN, "Origin not allowed");
            return;
        }
        String token = token(request);
        if (token == null) {
            if (auth == DialectPolicies.Auth.REQUIRED) {
                refuse(response, HttpServletResponse.SC_UNAUTHORIZED, "Missing authentication token");
                return;
            }
            chain.doFilter(request, response);
            return;
        }
        Principal verified;
        try {
            verified = verifier.verify(token);
        } catch (InvalidTokenException e) {
            failures.record();
            LOG.info(() -> "ws.handshake.refused reason=token detail=\"" + e.getMessage() + "\" path=" + path);
            if (auth != DialectPolicies.Auth.IN_BAND) {
                refuse(response, HttpServletResponse.SC_UNAUTHORIZED, "Invalid authentication token");
                return;
            }
            verified = new RejectedToken(e.getMessage());
        }
        Principal principal = verified;
        chain.doFilter(new HttpServletRequestWrapper(request) {
            @Override
            public Principal getUserPrincipal() {
                return principal;
            }

            @Override
            public String getRemoteUser() {
                return principal instanceof TokenPrincipal ? principal.getName() : null;
            }

            @Override
            public boolean isUserInRole(String role) {
                return principal instanceof TokenPrincipal p && p.inGroup(role);
            }
        }, response);
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

    private static void refuse(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(JsonText.object().add("error", message).build().toString());
    }
}
