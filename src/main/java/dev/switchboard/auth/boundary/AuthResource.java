package dev.switchboard.auth.boundary;

import dev.switchboard.auth.control.AuthFailures;
import dev.switchboard.auth.control.LoginThrottle;
import dev.switchboard.auth.control.TokenIssuer;
import dev.switchboard.auth.control.Users;
import dev.switchboard.auth.entity.User;
import dev.switchboard.common.ApiErrors;
import dev.switchboard.common.ClientAddresses;
import dev.switchboard.common.JsonText;

import jakarta.inject.Inject;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * {@code POST /api/auth/login {username, password}} → {@code {token, expires_at}} (expires_at in Unix seconds).
 * Anyone may call it, so everything it does before the password check is cheap and bounded: the body is read
 * to at most {@code auth.login.max-body-bytes} (413 past it), and {@link LoginThrottle} decides whether the check
 * runs at all (429 with {@code Retry-After} when not).
 */
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

    @Inject
    LoginThrottle throttle;

    @Inject
    ClientAddresses clientAddresses;

    @Inject
    @ConfigProperty(name = "auth.login.max-body-bytes", defaultValue = "4096")
    int maxBodyBytes;

    @Context
    HttpServletRequest http;

    @POST
    @Public
    @Path("login")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response login(@HeaderParam("Content-Length") String contentLength, InputStream body) throws IOException {
        if (declaredLength(contentLength) > maxBodyBytes) {
            return tooLarge();
        }
        byte[] bytes = readAtMost(body, maxBodyBytes);
        if (bytes == null) {
            return tooLarge();
        }
        JsonValue parsed;
        try {
            parsed = JsonText.parse(utf8(bytes));
        } catch (JsonException | CharacterCodingException | java.util.NoSuchElementException | IllegalStateException e) {
            return ApiErrors.error(Response.Status.BAD_REQUEST, "Body must be a JSON object {username, password}");
        }
        if (!(parsed instanceof JsonObject request)) {
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
        String address = clientAddresses.of(http).key();
        LoginThrottle.Decision decision = throttle.begin(username, address);
        if (!decision.allowed()) {
            failures.record();
            LOG.info(() -> "auth.login.throttled reason=" + decision.refusal() + " username=" + printable(username)
                    + " address=" + address + " retry-after=" + decision.retryAfterSeconds());
            String message = decision.refusal() == LoginThrottle.Refusal.BUSY
                    ? "Too many logins in progress; retry later"
                    : "Too many failed logins; retry later";
            return Response.fromResponse(ApiErrors.error(Response.Status.TOO_MANY_REQUESTS, message))
                    .header("Retry-After", decision.retryAfterSeconds()).build();
        }
        Optional<User> user;
        try {
            user = users.authenticate(username, password.toCharArray());
        } catch (RuntimeException | Error e) {
            // the database failed, not the caller: free the slot without counting a failure against anyone
            throttle.abandoned();
            throw e;
        }
        throttle.finished(username, address, user.isPresent());
        if (user.isEmpty()) {
            failures.record();
            LOG.info(() -> "auth.login.refused username=" + printable(username) + " address=" + address);
            return ApiErrors.error(Response.Status.UNAUTHORIZED, "Invalid username or password");
        }
        TokenIssuer.IssuedToken issued = tokens.issue(user.get().username(), user.get().groups());
        return Response.ok(JsonText.object()
                .add("token", issued.token())
                .add("expires_at", issued.expiresAt().getEpochSecond())
                .build()).build();
    }

    private Response tooLarge() {
        return ApiErrors.error(Response.Status.REQUEST_ENTITY_TOO_LARGE,
                "Body larger than " + maxBodyBytes + " bytes");
    }

    private static long declaredLength(String header) {
        try {
            return header == null ? -1 : Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The body, or null when it is longer than {@code max} (a chunked body has no length to check first). */
    private static byte[] readAtMost(InputStream in, int max) throws IOException {
        if (in == null) {
            return new byte[0];
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(max, 1024));
        byte[] buffer = new byte[1024];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            if (out.size() + n > max) {
                return null;
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static String utf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    }

    /** A user name as it may appear in a log line: whatever could forge a line or a field is masked. */
    private static String printable(String username) {
        return username.replaceAll("[^\\w.@-]", "?");
    }

    private static String text(JsonObject o, String key) {
        JsonValue v = o.get(key);
        return v instanceof JsonString s && !s.getString().isEmpty() ? s.getString() : null;
    }
}
