package dev.switchboard.auth.boundary;

import dev.switchboard.auth.control.AuthFailures;
import dev.switchboard.auth.control.InvalidTokenException;
import dev.switchboard.auth.control.TokenVerifier;
import dev.switchboard.auth.entity.TokenPrincipal;
import dev.switchboard.common.ApiErrors;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.Provider;

import java.lang.reflect.Method;
import java.security.Principal;
import java.util.Arrays;

/**
 * Bearer-token authentication for the REST API with the same strict verifier as the WebSocket handshakes, so
 * that this server's own tokens and an identity provider's are accepted alike. Secure by default: every
 * resource needs a valid token unless marked {@link Public}; {@link RequiresRole} (on the method, else
 * the class) names the groups that may call it.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class BearerAuthFilter implements ContainerRequestFilter {

    @Context
    ResourceInfo resource;

    @Inject
    AuthFailures failures;

    @Inject
    TokenVerifier verifier;

    @Override
    public void filter(ContainerRequestContext request) {
        Method method = resource.getResourceMethod();
        Class<?> type = resource.getResourceClass();
        if (method == null || method.isAnnotationPresent(Public.class)
                || (type.isAnnotationPresent(Public.class) && !method.isAnnotationPresent(RequiresRole.class))) {
            return;
        }
        String header = request.getHeaderString("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            request.abortWith(ApiErrors.error(Response.Status.UNAUTHORIZED, "Missing authentication token"));
            return;
        }
        TokenPrincipal principal;
        try {
            principal = verifier.verify(header.substring(7).trim());
        } catch (InvalidTokenException e) {
            failures.record();
            request.abortWith(ApiErrors.error(Response.Status.UNAUTHORIZED, "Invalid authentication token"));
            return;
        }
        RequiresRole roles = method.isAnnotationPresent(RequiresRole.class)
                ? method.getAnnotation(RequiresRole.class) : type.getAnnotation(RequiresRole.class);
        if (roles != null && Arrays.stream(roles.value()).noneMatch(principal::inGroup)) {
            request.abortWith(ApiErrors.error(Response.Status.FORBIDDEN,
                    "Requires one of the roles " + String.join(", ", roles.value())));
            return;
        }
        boolean secure = request.getSecurityContext().isSecure();
        request.setSecurityContext(new SecurityContext() {
            @Override
            public Principal getUserPrincipal() {
                return principal;
            }

            @Override
            public boolean isUserInRole(String role) {
                return principal.inGroup(role);
            }

            @Override
            public boolean isSecure() {
                return secure;
            }

            @Override
            public String getAuthenticationScheme() {
                return "Bearer";
            }
        });
    }
}
