package dev.switchboard.auth.boundary;

import dev.switchboard.auth.control.RevocationCheckingVerifier;
import dev.switchboard.auth.control.Users;
import dev.switchboard.auth.entity.TokenPrincipal;
import dev.switchboard.auth.entity.User;
import dev.switchboard.common.ApiErrors;
import dev.switchboard.common.JsonText;
import dev.switchboard.auth.entity.CredentialsChanged;

import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * {@code /api/users}: the local users, managed by admins (list, create, change groups, reset a password,
 * disable, delete); {@code /api/users/me} for every caller. The last enabled admin cannot be deleted, disabled
 * or demoted (409). Disabling a user or changing their groups or password revokes the tokens issued before and
 * closes their open WebSocket connections.
 */
@Path("users")
@Produces(MediaType.APPLICATION_JSON)
public class UsersResource {

    private static final Logger LOG = Logger.getLogger(UsersResource.class.getName());
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    private static final Pattern GROUP = Pattern.compile("[a-z][a-z0-9_-]{0,31}");
    static final int MIN_PASSWORD = 8;
    static final int MAX_PASSWORD = 256;
    private static final int MAX_GROUPS = 20;

    @Inject
    Users users;

    @Inject
    RevocationCheckingVerifier verifier;

    @Inject
    Event<CredentialsChanged> credentialsChanged;

    @Context
    SecurityContext caller;

    @GET
    @RequiresRole("admin")
    public JsonObject list() {
        JsonArrayBuilder list = JsonText.array();
        users.list().forEach(u -> list.add(json(u)));
        return JsonText.object().add("users", list).build();
    }

    @GET
    @Path("me")
    public JsonObject me() {
        TokenPrincipal p = (TokenPrincipal) caller.getUserPrincipal();
        JsonArrayBuilder groups = JsonText.array();
        p.groups().stream().sorted().forEach(groups::add);
        boolean local = p.local() && users.find(p.name()).isPresent();
        // username is the identity every component keys on (an identity provider's user: <issuer>|<subject>),
        // display_name what others are shown (its preferred_username)
        return JsonText.object().add("username", p.name()).add("display_name", p.displayName()).add("groups", groups).add("local", local)
                .add("issuer", p.issuer()).add("expires_at", p.expiresAt().getEpochSecond()).build();
    }

    @GET
    @Path("{username}")
    @RequiresRole("admin")
    public JsonObject get(@PathParam("username") String username) {
        return json(users.find(username).orElseThrow(UsersResource::notFound));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRole("admin")
    public Response create(JsonValue body) {
        JsonObject o = object(body);
        Map<String, String> faults = new LinkedHashMap<>();
        String username = string(o, "username", faults);
        if (username != null && !USERNAME.matcher(username).matches()) {
            faults.put("username", "1 to 64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit");
        }
        String password = password(o, "password", faults);
        List<String> groups = groups(o, faults, false);
        if (!faults.isEmpty()) {
            throw ApiErrors.invalid(faults);
        }
        if (users.existsIgnoringCase(username)) {
            throw ApiErrors.of(Response.Status.CONFLICT, "A user named " + username + " already exists");
        }
        User created = users.create(username, password.toCharArray(), groups);
        LOG.info(() -> "auth.user.created username=" + username + " groups=" + String.join(",", groups) + " by=" + callerName());
        return Response.created(URI.create("/api/users/" + username)).entity(json(created)).build();
    }

    /** {@code {groups?, disabled?}}: either or both. */
    @PUT
    @Path("{username}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRole("admin")
    public JsonObject update(@PathParam("username") String username, JsonValue body) {
        JsonObject o = object(body);
        Map<String, String> faults = new LinkedHashMap<>();
        List<String> groups = o.containsKey("groups") ? groups(o, faults, false) : null;
        Boolean disabled = null;
        if (o.containsKey("disabled")) {
            JsonValue d = o.get("disabled");
            if (d == JsonValue.TRUE || d == JsonValue.FALSE) {
                disabled = d == JsonValue.TRUE;
            } else {
                faults.put("disabled", "must be true or false");
            }
        }
        if (groups == null && disabled == null && faults.isEmpty()) {
            faults.put("groups", "give groups, disabled, or both");
        }
        if (!faults.isEmpty()) {
            throw ApiErrors.invalid(faults);
        }
        Optional<User> user = users.find(username);
        if (user.isEmpty()) {
            throw notFound();
        }
        boolean changed = false;
        try {
            if (groups != null && !groups.equals(user.get().groups())) {
                user = users.changeGroups(username, groups);
                changed = true;
            }
            if (disabled != null && disabled != user.get().disabled()) {
                user = users.changeDisabled(username, disabled);
                changed = true;
            }
        } catch (Users.LastAdminException e) {
            throw ApiErrors.of(Response.Status.CONFLICT, e.getMessage());
        }
        if (changed) {
            changed(username, "updated"); // nothing changed: the user's tokens and connections stay as they are
        }
        return json(user.orElseThrow(UsersResource::notFound));
    }

    /** An admin sets a new password for anyone: {@code {password}}. */
    @PUT
    @Path("{username}/password")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRole("admin")
    public Response resetPassword(@PathParam("username") String username, JsonValue body) {
        Map<String, String> faults = new LinkedHashMap<>();
        String password = password(object(body), "password", faults);
        if (!faults.isEmpty()) {
            throw ApiErrors.invalid(faults);
        }
        users.resetPassword(username, password.toCharArray()).orElseThrow(UsersResource::notFound);
        changed(username, "password-reset");
        return Response.noContent().build();
    }

    /** Any local user changes their own password: {@code {current_password, password}}. */
    @PUT
    @Path("me/password")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response changeOwnPassword(JsonValue body) {
        JsonObject o = object(body);
        Map<String, String> faults = new LinkedHashMap<>();
        String current = string(o, "current_password", faults);
        String password = password(o, "password", faults);
        if (!faults.isEmpty()) {
            throw ApiErrors.invalid(faults);
        }
        String me = callerName();
        if (users.find(me).isEmpty()) {
            throw ApiErrors.of(Response.Status.CONFLICT, "Only local users have a password here; change it at your identity provider");
        }
        if (!users.changeOwnPassword(me, current.toCharArray(), password.toCharArray())) {
            throw ApiErrors.invalid(Map.of("current_password", "is not your current password"));
        }
        changed(me, "password-changed");
        return Response.noContent().build();
    }

    @DELETE
    @Path("{username}")
    @RequiresRole("admin")
    public Response delete(@PathParam("username") String username) {
        try {
            if (!users.delete(username)) {
                throw notFound();
            }
        } catch (Users.LastAdminException e) {
            throw ApiErrors.of(Response.Status.CONFLICT, e.getMessage());
        }
        changed(username, "deleted");
        return Response.noContent().build();
    }

    /** Old tokens are refused from now on; open sockets authenticated by them are closed. */
    private void changed(String username, String what) {
        verifier.forget(username);
        credentialsChanged.fire(new CredentialsChanged(username));
        LOG.info(() -> "auth.user." + what + " username=" + username + " by=" + callerName());
    }

    private String callerName() {
        return caller.getUserPrincipal() == null ? "?" : caller.getUserPrincipal().getName();
    }

    static JsonObject json(User u) {
        JsonArrayBuilder groups = JsonText.array();
        u.groups().forEach(groups::add);
        return JsonText.object().add("username", u.username()).add("groups", groups).add("disabled", u.disabled())
                .add("created_at", u.createdAt().toInstant().toString()).build();
    }

    private static JsonObject object(JsonValue body) {
        if (!(body instanceof JsonObject o)) {
            throw ApiErrors.of(Response.Status.BAD_REQUEST, "Body must be a JSON object");
        }
        return o;
    }

    private static String string(JsonObject o, String key, Map<String, String> faults) {
        JsonValue v = o.get(key);
        if (!(v instanceof JsonString s) || s.getString().isEmpty()) {
            faults.put(key, "is required");
            return null;
        }
        return s.getString();
    }

    private static String password(JsonObject o, String key, Map<String, String> faults) {
        String p = string(o, key, faults);
        if (p != null && (p.length() < MIN_PASSWORD || p.length() > MAX_PASSWORD)) {
            faults.put(key, MIN_PASSWORD + " to " + MAX_PASSWORD + " characters");
            return null;
        }
        if (p != null && p.isBlank()) {
            faults.put(key, "must not be blank");
            return null;
        }
        return p;
    }

    private static List<String> groups(JsonObject o, Map<String, String> faults, boolean required) {
        JsonValue v = o.get("groups");
        if (v == null || v == JsonValue.NULL) {
            if (required) {
                faults.put("groups", "is required");
            }
            return List.of();
        }
        if (!(v instanceof JsonArray a)) {
            faults.put("groups", "must be an array of group names");
            return List.of();
        }
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (JsonValue g : a) {
            if (!(g instanceof JsonString s) || !GROUP.matcher(s.getString()).matches()) {
                faults.put("groups", "each group: 1 to 32 lower-case letters, digits, '_' or '-', starting with a letter");
                return List.of();
            }
            out.add(s.getString());
        }
        if (out.size() > MAX_GROUPS) {
            faults.put("groups", "at most " + MAX_GROUPS + " groups");
        }
        return new ArrayList<>(out);
    }

    private static jakarta.ws.rs.WebApplicationException notFound() {
        return ApiErrors.of(Response.Status.NOT_FOUND, "No such user");
    }
}
