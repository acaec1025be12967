package dev.switchboard.peers.boundary;

import dev.switchboard.auth.boundary.RequiresRole;
import dev.switchboard.common.ApiErrors;
import dev.switchboard.common.JsonText;
import dev.switchboard.node.control.NodeIdentity;
import dev.switchboard.peers.control.Blacklist;
import dev.switchboard.peers.entity.BlockView;
import dev.switchboard.peers.entity.PeerJson;

import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.util.Set;

/**
 * {@code /api/blacklist}: add (with a reason and an optional expiry), list, remove. Reads need any valid token,
 * writes admin or operator. Adding a peer that is blacklisted already replaces its reason and expiry (200).
 */
@Path("blacklist")
@Produces(MediaType.APPLICATION_JSON)
public class BlacklistResource {

    static final Set<String> FIELDS = Set.of("peer_id", "reason", "expires_at", "expires_in_seconds");
    static final int MAX_REASON = 512;
    /** ten years: far enough for "long", near enough that a typo of a few digits is caught */
    static final long MAX_EXPIRY_SECONDS = 10L * 366 * 24 * 3600;

    @Inject
    Blacklist blacklist;

    @Inject
    NodeIdentity identity;

    @Inject
    @ConfigProperty(name = "peers.max-body-bytes", defaultValue = "65536")
    int maxBody;

    @GET
    public JsonObject list() {
        JsonArrayBuilder entries = JsonText.array();
        blacklist.list().forEach(b -> entries.add(json(b)));
        return JsonText.object().add("blacklist", entries).build();
    }

    @GET
    @Path("{peerId}")
    public JsonObject get(@PathParam("peerId") String peerId) {
        return json(blacklist.find(peerId).orElseThrow(BlacklistResource::notFound));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRole({"admin", "operator"})
    public Response add(InputStream body, @Context SecurityContext caller) {
        Fields f = Fields.read(body, maxBody, FIELDS);
        String peerId = f.id("peer_id", true);
        String reason = f.text("reason", true, MAX_REASON, false);
        Instant now = Instant.now();
        Instant expiresAt = null;
        if (f.has("expires_at") && f.has("expires_in_seconds")) {
            f.fault("expires_at", "give expires_at or expires_in_seconds, not both");
        } else if (f.has("expires_in_seconds")) {
            long s = f.integer("expires_in_seconds", 1, MAX_EXPIRY_SECONDS, 0, false);
            expiresAt = s > 0 ? now.plusSeconds(s) : null;
        } else if (f.has("expires_at")) {
            long at = f.integer("expires_at", 0, now.getEpochSecond() + MAX_EXPIRY_SECONDS, -1, false);
            if (at > 0 && at <= now.getEpochSecond()) {
                f.fault("expires_at", "must be in the future (Unix seconds), or 0 for never");
            } else if (at > 0) {
                expiresAt = Instant.ofEpochSecond(at);
            }
        }
        if (peerId != null && peerId.equals(identity.peerId())) {
            f.fault("peer_id", "is this node's own peer id");
        }
        f.check();
        boolean fresh = blacklist.add(peerId, reason, expiresAt, caller.getUserPrincipal() == null ? "" : caller.getUserPrincipal().getName());
        JsonObject entry = json(blacklist.find(peerId).orElseThrow(BlacklistResource::notFound));
        return (fresh ? Response.created(URI.create("/api/blacklist/" + peerId)) : Response.ok()).entity(entry).build();
    }

    @DELETE
    @Path("{peerId}")
    @RequiresRole({"admin", "operator"})
    public Response remove(@PathParam("peerId") String peerId, @Context SecurityContext caller) {
        if (!blacklist.remove(peerId, caller.getUserPrincipal() == null ? "" : caller.getUserPrincipal().getName())) {
            throw notFound();
        }
        return Response.noContent().build();
    }

    static JsonObject json(BlockView b) {
        return PeerJson.block(b).add("added_by", b.addedBy()).build();
    }

    private static jakarta.ws.rs.WebApplicationException notFound() {
        return ApiErrors.of(Response.Status.NOT_FOUND, "No such blacklist entry");
    }
}
