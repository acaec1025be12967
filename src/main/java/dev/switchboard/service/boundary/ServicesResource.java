package dev.switchboard.service.boundary;

import dev.switchboard.common.JsonText;
import dev.switchboard.auth.boundary.RequiresRole;
import dev.switchboard.auth.entity.Roles;
import dev.switchboard.common.ApiErrors;
import dev.switchboard.service.control.ServiceRegistry;
import dev.switchboard.service.entity.ServiceSecrets;
import dev.switchboard.service.entity.ServiceView;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.transaction.Transactional;
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

import java.io.StringReader;
import java.net.URI;

/**
 * {@code /api/services}: reads need any valid token, writes the role admin or operator. Readers without one of
 * those roles get the config with its secrets masked ({@link ServiceSecrets}); writers see what they wrote.
 */
@Path("services")
@Produces(MediaType.APPLICATION_JSON)
public class ServicesResource {

    @Inject
    ServiceRegistry registry;

    @GET
    public JsonObject list(@Context SecurityContext caller) {
        boolean writer = Roles.writer(caller.getUserPrincipal());
        JsonArrayBuilder services = JsonText.array();
        registry.list().forEach(s -> services.add(json(s, writer)));
        return JsonText.object().add("services", services).build();
    }

    @GET
    @Path("{id}")
    public JsonObject get(@PathParam("id") String id, @Context SecurityContext caller) {
        return json(registry.find(parseId(id)).orElseThrow(ServicesResource::notFound), Roles.writer(caller.getUserPrincipal()));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRole({"admin", "operator"})
    @Transactional
    public Response create(JsonValue body) {
        ServiceView created = registry.create(ServiceInput.read(body));
        return Response.created(URI.create("/api/services/" + created.id())).entity(json(created, true)).build();
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRole({"admin", "operator"})
    @Transactional
    public JsonObject replace(@PathParam("id") String id, JsonValue body) {
        long key = parseId(id);
        return json(registry.replace(key, ServiceInput.read(body)).orElseThrow(ServicesResource::notFound), true);
    }

    @DELETE
    @Path("{id}")
    @RequiresRole({"admin", "operator"})
    @Transactional
    public Response delete(@PathParam("id") String id) {
        if (!registry.delete(parseId(id))) {
            throw notFound();
        }
        return Response.noContent().build();
    }

    static long parseId(String id) {
        return ApiErrors.pathId(id, "No such service");
    }

    private static jakarta.ws.rs.WebApplicationException notFound() {
        return ApiErrors.of(Response.Status.NOT_FOUND, "No such service");
    }

    /** @param writer whether the caller may see secrets (has a writing role) */
    static JsonObject json(ServiceView s, boolean writer) {
        JsonValue config = parse(s.configJson());
        return JsonText.object()
                .add("id", s.id())
                .add("name", s.name())
                .add("description", s.description())
                .add("type", s.type().name())
                .add("status", s.status().name())
                .add("config", writer ? config : ServiceSecrets.masked(config))
                .add("capabilities", parse(s.capabilitiesJson()))
                .add("interfaces", parse(s.interfacesJson()))
                .add("pricing_amount", s.pricingAmount())
                .add("pricing_type", s.pricingType())
                .add("pricing_interval", s.pricingInterval())
                .add("pricing_unit", s.pricingUnit())
                .add("created_at", s.createdAt().getEpochSecond())
                .add("updated_at", s.updatedAt().getEpochSecond())
                .build();
    }

    private static JsonValue parse(String json) {
        try (var reader = Json.createReader(new StringReader(json))) {
            return reader.readValue();
        }
    }
}
