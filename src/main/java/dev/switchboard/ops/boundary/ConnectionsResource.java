package dev.switchboard.ops.boundary;

import dev.switchboard.auth.boundary.RequiresRole;
import dev.switchboard.common.ApiErrors;
import dev.switchboard.common.JsonText;
import dev.switchboard.hub.boundary.Hub;
import dev.switchboard.hub.control.Connection;
import dev.switchboard.hub.entity.Disconnect;

import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Logger;

/**
 * {@code /api/connections}: this instance's open WebSocket connections (admin or operator), and a disconnect
 * (admin): the connection is closed with 1008 "Disconnected by an administrator".
 */
@Path("connections")
@Produces(MediaType.APPLICATION_JSON)
public class ConnectionsResource {

    private static final Logger LOG = Logger.getLogger(ConnectionsResource.class.getName());
    static final int MAX_LISTED = 5000;

    @Inject
    Hub hub;

    @Context
    SecurityContext caller;

    @GET
    @RequiresRole({"admin", "operator"})
    public JsonObject list(@QueryParam("dialect") String dialect) {
        List<Connection> all = dialect == null || dialect.isBlank() ? hub.allConnections() : List.copyOf(hub.connections(dialect));
        JsonArrayBuilder list = JsonText.array();
        all.stream().filter(Connection::isOpen).sorted(Comparator.comparingLong(Connection::openedAtMillis))
                .limit(MAX_LISTED).forEach(c -> list.add(json(c)));
        return JsonText.object().add("connections", list).add("total", all.size()).add("limit", MAX_LISTED).build();
    }

    @DELETE
    @Path("{id}")
    @RequiresRole("admin")
    public Response disconnect(@PathParam("id") String id) {
        Connection connection = hub.allConnections().stream().filter(c -> c.id().equals(id) && c.isOpen()).findFirst()
                .orElseThrow(() -> ApiErrors.of(Response.Status.NOT_FOUND, "No such connection"));
        hub.close(connection, new Disconnect(Disconnect.POLICY_VIOLATION, "Disconnected by an administrator"));
        LOG.info(() -> "hub.connection.disconnected id=" + id + " dialect=" + connection.dialect()
                + " by=" + caller.getUserPrincipal().getName());
        return Response.noContent().build();
    }

    private static JsonObject json(Connection c) {
        JsonObjectBuilder o = JsonText.object().add("id", c.id()).add("dialect", c.dialect())
                .add("since", Instant.ofEpochMilli(c.openedAtMillis()).toString())
                .add("queued", c.queued()).add("frames_in", c.framesIn()).add("frames_out", c.framesOut());
        if (c.user() != null) {
            o.add("user", c.user());
        }
        if (c.clientAddress() != null) {
            o.add("client_address", c.clientAddress());
        }
        return o.build();
    }
}
