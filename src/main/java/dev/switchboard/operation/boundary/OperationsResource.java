package dev.switchboard.operation.boundary;

import dev.switchboard.auth.boundary.RequiresRole;
import dev.switchboard.auth.entity.TokenPrincipal;
import dev.switchboard.common.ApiErrors;
import dev.switchboard.common.ConfigLists;
import dev.switchboard.common.JsonText;
import dev.switchboard.operation.control.Operations;
import dev.switchboard.operation.entity.OperationKind;
import dev.switchboard.operation.entity.OperationView;

import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;
import java.time.Instant;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /api/operations}: {@code POST /api/operations/{docker|standalone}/{type}} starts one (202 with its
 * {@code operation_id}; the role admin or operator), {@code GET} lists the latest or shows one with its steps, log and
 * result (any valid token, as services are), {@code POST /api/operations/{id}/cancel} cancels one.
 */
@Path("operations")
@Produces(MediaType.APPLICATION_JSON)
public class OperationsResource {

    @Inject
    Operations operations;

    @Inject
    @ConfigProperty(name = "ops.git.allowed-schemes", defaultValue = "https,file")
    Optional<String> allowedSchemes;

    @Inject
    @ConfigProperty(name = "ops.timeout-seconds", defaultValue = "900")
    long maxTimeoutSeconds;

    @Context
    SecurityContext security;

    @POST
    @Path("{family}/{type}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRole({"admin", "operator"})
    public Response start(@PathParam("family") String family, @PathParam("type") String type, JsonValue body) {
        OperationKind kind = OperationKind.of(family, type).orElseThrow(() -> ApiErrors.of(Response.Status.NOT_FOUND,
                "No such operation: " + family + "/" + type + " (docker: pull, build, create; standalone: git-clone, git-build, validate, upload)"));
        boolean admin = security.isUserInRole("admin");
        var schemes = new HashSet<String>();
        ConfigLists.split(allowedSchemes).forEach(s -> schemes.add(s.toLowerCase(Locale.ROOT)));
        OperationInput.Read read = OperationInput.read(kind, body, schemes, admin, maxTimeoutSeconds);
        OperationView started = operations.start(read.request(), read.repoUrl(), user(), admin);
        return Response.accepted(json(started, false)).location(URI.create("/api/operations/" + started.id())).build();
    }

    @GET
    public JsonObject list(@QueryParam("limit") String limit) {
        int n = 100;
        if (limit != null) {
            try {
                n = Integer.parseInt(limit);
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1 || n > 500) {
                throw ApiErrors.invalid(Map.of("limit", "a whole number from 1 to 500"));
            }
        }
        JsonArrayBuilder list = JsonText.array();
        operations.latest(n).forEach(o -> list.add(json(o, false)));
        return JsonText.object().add("operations", list).build();
    }

    @GET
    @Path("{id}")
    public JsonObject get(@PathParam("id") String id) {
        return json(operations.find(id).orElseThrow(OperationsResource::notFound), true);
    }

    @POST
    @Path("{id}/cancel")
    @RequiresRole({"admin", "operator"})
    public Response cancel(@PathParam("id") String id) {
        OperationView o = operations.cancel(id, user()).orElseThrow(OperationsResource::notFound);
        return Response.accepted(json(o, false)).build();
    }

    private String user() {
        return security.getUserPrincipal() instanceof TokenPrincipal p ? p.getName() : String.valueOf(security.getUserPrincipal());
    }

    private static jakarta.ws.rs.WebApplicationException notFound() {
        return ApiErrors.of(Response.Status.NOT_FOUND, "No such operation");
    }

    /** One operation; the list leaves out the log and the request, which can be large. */
    static JsonObject json(OperationView o, boolean full) {
        JsonArrayBuilder steps = JsonText.array();
        for (OperationView.Step s : o.steps()) {
            JsonObjectBuilder step = JsonText.object().add("name", s.name()).add("status", s.status());
            time(step, "started_at", s.startedAt());
            time(step, "completed_at", s.completedAt());
            steps.add(step);
        }
        JsonObjectBuilder b = JsonText.object()
                .add("operation_id", o.id())
                .add("family", o.kind().family().wire())
                .add("operation_type", o.kind().wire())
                .add("status", o.status().wire())
                .add("service_name", o.serviceName())
                .add("image_name", o.imageName())
                .add("repo_url", o.repoUrl())
                .add("step", o.step())
                .add("steps", steps)
                .add("percentage", o.percentage())
                .add("message", o.message())
                .add("error", o.error())
                .add("code", o.errorCode())
                .add("created_by", o.owner());
        if (o.serviceId() == null) {
            b.addNull("service_id");
        } else {
            b.add("service_id", o.serviceId());
        }
        b.add("result", JsonText.parse(o.resultJson()));
        time(b, "created_at", o.createdAt());
        time(b, "started_at", o.startedAt());
        time(b, "completed_at", o.completedAt());
        if (full) {
            b.add("request", JsonText.parse(o.requestJson())).add("log", o.log()).add("log_truncated", o.logTruncated());
        }
        return b.build();
    }

    private static void time(JsonObjectBuilder b, String key, Instant t) {
        if (t != null) {
            b.add(key, t.toString());
        }
    }
}
