package dev.switchboard.auth.boundary;

import dev.switchboard.common.JsonText;
import dev.switchboard.auth.control.AuthFailures;
import dev.switchboard.auth.control.TokenIssuer;
import dev.switchboard.auth.control.Users;
import dev.switchboard.auth.entity.User;
import dev.switchboard.common.ApiErrors;

import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Optional;
import java.util.logging.Logger;

/** {@code POST /api/auth/login {username, password}} → {@code {token, expires_at}} (expires_at in Unix seconds). */
@Path("auth")
public class AuthResource {

    private static final Logger LOG = Logger.getLogger(AuthResource.class.getName());
    private static final int MAX_FIELD = 256;

    @Inject
    Users users;

    @Inject
    TokenIssuer tokens;

    @Inject
    AuthFailures failures;

    @POST
    @Public
    @Path("login")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response login(JsonValue body) {
        if (!(body instanceof JsonObject request)) {
            return ApiErrors.error(Response.Status.BAD_REQUEST, "Body must be a JSON object {username, password}");
        }
        String username = text(request, "username");
        String password = text(request, "password");
        if (username == null || password == null) {
            return ApiErrors.error(Response.Status.BAD_REQUEST, "username and password are required strings");
        }
        if (username.length() > MAX_FIELD || password.length() > MAX_FIELD) {
            return ApiErrors.error(Response.Status.BAD_REQUEST, "username and password are at most " + MAX_FIELD + " characters");
        }
        Optional<User> user = users.authenticate(username, password.toCharArray());
        if (user.isEmpty()) {
            failures.record();
            LOG.info(() -> "auth.login.refused username=" + username.replaceAll("[^\\w.@-]", "?"));
            return ApiErrors.error(Response.Status.UNAUTHORIZED, "Invalid username or password");
        }
        TokenIssuer.IssuedToken issued = tokens.issue(user.get().username(), user.get().groups());
        return Response.ok(JsonText.object()
                .add("token", issued.token())
                .add("expires_at", issued.expiresAt().getEpochSecond())
                .build()).build();
    }

    private static String text(JsonObject o, String key) {
        JsonValue v = o.get(key);
        return v instanceof JsonString s && !s.getString().isEmpty() ? s.getString() : null;
    }
}
