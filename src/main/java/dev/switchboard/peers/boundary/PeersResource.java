package dev.switchboard.peers.boundary;

import dev.switchboard.auth.boundary.RequiresRole;
import dev.switchboard.common.ApiErrors;
import dev.switchboard.common.JsonText;
import dev.switchboard.peers.control.Blacklist;
import dev.switchboard.peers.control.PeerDirectory;
import dev.switchboard.peers.entity.PeerDefinition;
import dev.switchboard.peers.entity.PeerJson;
import dev.switchboard.peers.entity.PeerView;

import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.InputStream;
import java.net.URI;
import java.util.Map;
import java.util.Set;

/**
 * {@code /api/peers}: peers that are not Switchboard instances, registered by hand or by a tool (instances are
 * learnt from membership, never written here). Reads need any valid token, writes admin or operator.
 * {@code GET /api/peers} lists the registered peers (blacklisted ones too, marked); {@code ?view=known} lists what
 * {@code peers.updated} shows (live instances and registered peers, blacklisted ones left out).
 */
@Path("peers")
@Produces(MediaType.APPLICATION_JSON)
public class PeersResource {

    static final Set<String> FIELDS = Set.of("id", "addresses", "is_relay", "can_be_relay", "connection_quality",
            "metadata", "capabilities", "last_seen");
    static final int MAX_ADDRESSES = 16;
    static final int MAX_ADDRESS_LENGTH = 256;
    static final int MAX_CAPABILITIES = 32;
    static final int MAX_CAPABILITY_LENGTH = 64;
    static final int MAX_METADATA_CHARS = 4096;

    @Inject
    PeerDirectory directory;

    @Inject
    Blacklist blacklist;

    @Inject
    @ConfigProperty(name = "peers.max-body-bytes", defaultValue = "65536")
    int maxBody;

    @GET
    public JsonObject list(@QueryParam("view") String view) {
        JsonArrayBuilder peers = JsonText.array();
        if ("known".equals(view)) {
            directory.known().forEach(p -> peers.add(json(p, false)));
        } else if (view == null || view.isEmpty() || "registered".equals(view)) {
            Set<String> blocked = blacklist.blockedIds();
            directory.registered().forEach(p -> peers.add(json(p, blocked.contains(p.id()))));
        } else {
            throw ApiErrors.invalid(Map.of("view", "registered (the default) or known"));
        }
        return JsonText.object().add("peers", peers).build();
    }

    @GET
    @Path("{id}")
    public JsonObject get(@PathParam("id") String id) {
        PeerView p = directory.find(id).orElseThrow(PeersResource::notFound);
        return json(p, blacklist.isBlocked(p.id())).build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRole({"admin", "operator"})
    public Response create(InputStream body) {
        PeerDefinition d = read(body, null);
        directory.create(d);
        return Response.created(URI.create("/api/peers/" + d.id())).entity(stored(d.id())).build();
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRole({"admin", "operator"})
    public Response replace(@PathParam("id") String id, InputStream body) {
        if (!Fields.ID.matcher(id).matches()) {
            throw ApiErrors.invalid(Map.of("id", Fields.ID_RULE));
        }
        PeerDefinition d = read(body, id);
        boolean created = directory.put(d);
        return (created ? Response.created(URI.create("/api/peers/" + id)) : Response.ok()).entity(stored(id)).build();
    }

    @DELETE
    @Path("{id}")
    @RequiresRole({"admin", "operator"})
    public Response delete(@PathParam("id") String id) {
        if (!directory.delete(id)) {
            throw notFound();
        }
        return Response.noContent().build();
    }

    private JsonObject stored(String id) {
        return json(directory.find(id).orElseThrow(PeersResource::notFound), blacklist.isBlocked(id)).build();
    }

    /** @param pathId the id the path names (PUT), which a body's {@code id} must repeat if it has one */
    private PeerDefinition read(InputStream body, String pathId) {
        Fields f = Fields.read(body, maxBody, FIELDS);
        String id = f.id("id", pathId == null);
        if (pathId != null && id != null && !id.equals(pathId)) {
            f.fault("id", "must be the id the path names, or left out");
        }
        PeerDefinition d = new PeerDefinition(pathId != null ? pathId : id,
                f.strings("addresses", MAX_ADDRESSES, MAX_ADDRESS_LENGTH),
                f.bool("is_relay", false), f.bool("can_be_relay", false),
                (int) f.integer("connection_quality", 0, 100, 0, false),
                f.object("metadata", MAX_METADATA_CHARS),
                f.strings("capabilities", MAX_CAPABILITIES, MAX_CAPABILITY_LENGTH),
                f.time("last_seen", false, false));
        f.check();
        return d;
    }

    static JsonObjectBuilder json(PeerView p, boolean blacklisted) {
        JsonArrayBuilder capabilities = JsonText.array();
        p.capabilities().forEach(capabilities::add);
        JsonObjectBuilder o = PeerJson.peer(p)
                .add("capabilities", capabilities)
                .add("source", p.instance() ? "instance" : "registered");
        if (!p.instance()) {
            o.add("blacklisted", blacklisted);
        }
        return o;
    }

    private static jakarta.ws.rs.WebApplicationException notFound() {
        return ApiErrors.of(Response.Status.NOT_FOUND, "No such peer");
    }
}
