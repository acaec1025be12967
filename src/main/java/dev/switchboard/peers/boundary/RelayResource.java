package dev.switchboard.peers.boundary;

import dev.switchboard.auth.boundary.RequiresRole;
import dev.switchboard.common.ApiErrors;
import dev.switchboard.common.JsonText;
import dev.switchboard.peers.control.RelayRecords;
import dev.switchboard.peers.entity.RelayCandidateView;
import dev.switchboard.peers.entity.PeerJson;
import dev.switchboard.peers.entity.RelaySessionView;

import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * {@code /api/relay/sessions} and {@code /api/relay/candidates}: records fed by whatever relays traffic or finds
 * relays for this node (Switchboard relays nothing). {@code PUT} creates or replaces one record (201 / 200) and
 * dates it now: a feeder re-PUTs its records at least every {@code relay.record-ttl-seconds}, else they go stale.
 * Reads need any valid token, writes admin or operator. The lists here include records of blacklisted peers; the
 * node frames leave them out.
 */
@Path("relay")
@Produces(MediaType.APPLICATION_JSON)
public class RelayResource {

    static final Set<String> SESSION_FIELDS = Set.of("session_id", "remote_peer_id", "start_time", "bytes_sent", "bytes_recv", "earnings");
    static final Set<String> CANDIDATE_FIELDS = Set.of("peer_id", "node_id", "endpoint", "latency_ms", "reputation_score",
            "pricing_per_gb", "capacity", "last_seen", "is_connected", "is_preferred");
    private static final BigDecimal MAX_MONEY = new BigDecimal("1000000000000");

    @Inject
    RelayRecords records;

    @Inject
    @ConfigProperty(name = "peers.max-body-bytes", defaultValue = "65536")
    int maxBody;

    @GET
    @Path("sessions")
    public JsonObject sessions() {
        JsonArrayBuilder list = JsonText.array();
        Instant now = Instant.now();
        records.sessions(false).forEach(s -> list.add(json(s, now)));
        return JsonText.object().add("sessions", list).build();
    }

    @GET
    @Path("sessions/{id}")
    public JsonObject session(@PathParam("id") String id) {
        return json(records.session(id).orElseThrow(() -> notFound("relay session")), Instant.now());
    }

    @PUT
    @Path("sessions/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRole({"admin", "operator"})
    public Response putSession(@PathParam("id") String id, InputStream body) {
        checkPathId(id);
        Fields f = Fields.read(body, maxBody, SESSION_FIELDS);
        String bodyId = f.id("session_id", false);
        if (bodyId != null && !bodyId.equals(id)) {
            f.fault("session_id", "must be the id the path names, or left out");
        }
        String remote = f.id("remote_peer_id", true);
        Instant start = f.time("start_time", true, false);
        long sent = f.integer("bytes_sent", 0, Long.MAX_VALUE, 0, false);
        long recv = f.integer("bytes_recv", 0, Long.MAX_VALUE, 0, false);
        BigDecimal earnings = f.decimal("earnings", BigDecimal.ZERO, MAX_MONEY, BigDecimal.ZERO);
        f.check();
        Instant now = Instant.now();
        boolean created = records.putSession(new RelaySessionView(id, remote, start, sent, recv, earnings, now));
        JsonObject entity = json(records.session(id).orElseThrow(() -> notFound("relay session")), now);
        return (created ? Response.created(URI.create("/api/relay/sessions/" + id)) : Response.ok()).entity(entity).build();
    }

    @DELETE
    @Path("sessions/{id}")
    @RequiresRole({"admin", "operator"})
    public Response deleteSession(@PathParam("id") String id) {
        if (!records.deleteSession(id)) {
            throw notFound("relay session");
        }
        return Response.noContent().build();
    }

    @GET
    @Path("candidates")
    public JsonObject candidates() {
        JsonArrayBuilder list = JsonText.array();
        records.candidates(false).forEach(c -> list.add(json(c)));
        return JsonText.object().add("candidates", list).build();
    }

    @GET
    @Path("candidates/{peerId}")
    public JsonObject candidate(@PathParam("peerId") String peerId) {
        return json(records.candidate(peerId).orElseThrow(() -> notFound("relay candidate")));
    }

    @PUT
    @Path("candidates/{peerId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRole({"admin", "operator"})
    public Response putCandidate(@PathParam("peerId") String peerId, InputStream body) {
        checkPathId(peerId);
        Fields f = Fields.read(body, maxBody, CANDIDATE_FIELDS);
        String bodyId = f.id("peer_id", false);
        if (bodyId != null && !bodyId.equals(peerId)) {
            f.fault("peer_id", "must be the id the path names, or left out");
        }
        String nodeId = f.text("node_id", false, 128, false);
        String endpoint = f.text("endpoint", true, 512, false);
        long latency = f.integer("latency_ms", 0, 3_600_000, 0, false);
        BigDecimal reputation = f.decimal("reputation_score", BigDecimal.ZERO, BigDecimal.ONE, BigDecimal.ZERO);
        BigDecimal price = f.decimal("pricing_per_gb", BigDecimal.ZERO, MAX_MONEY, BigDecimal.ZERO);
        long capacity = f.integer("capacity", 0, Long.MAX_VALUE, 0, false);
        Instant lastSeen = f.time("last_seen", false, false);
        boolean connected = f.bool("is_connected", false);
        boolean preferred = f.bool("is_preferred", false);
        f.check();
        Instant now = Instant.now();
        boolean created = records.putCandidate(new RelayCandidateView(peerId, nodeId == null ? "" : nodeId, endpoint, latency,
                reputation.doubleValue(), price, capacity, lastSeen, connected, preferred, now));
        JsonObject entity = json(records.candidate(peerId).orElseThrow(() -> notFound("relay candidate")));
        return (created ? Response.created(URI.create("/api/relay/candidates/" + peerId)) : Response.ok()).entity(entity).build();
    }

    @DELETE
    @Path("candidates/{peerId}")
    @RequiresRole({"admin", "operator"})
    public Response deleteCandidate(@PathParam("peerId") String peerId) {
        if (!records.deleteCandidate(peerId)) {
            throw notFound("relay candidate");
        }
        return Response.noContent().build();
    }

    private static void checkPathId(String id) {
        if (!Fields.ID.matcher(id).matches()) {
            throw ApiErrors.invalid(Map.of("id", Fields.ID_RULE));
        }
    }

    /** The relay.sessions entry: {@code duration_seconds} is the time since {@code start_time}. */
    static JsonObject json(RelaySessionView s, Instant now) {
        return PeerJson.session(s, now).build();
    }

    static JsonObject json(RelayCandidateView c) {
        return PeerJson.candidate(c).build();
    }

    private static jakarta.ws.rs.WebApplicationException notFound(String what) {
        return ApiErrors.of(Response.Status.NOT_FOUND, "No such " + what);
    }
}
