package dev.switchboard.workflow.boundary;

import dev.switchboard.auth.boundary.RequiresRole;
import dev.switchboard.common.ApiErrors;
import dev.switchboard.workflow.control.ExecutionLauncher;
import dev.switchboard.workflow.control.ExecutionStore;
import dev.switchboard.workflow.entity.ExecutionView;

import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code /api/executions/{id}} with its jobs, and {@code POST /api/executions/{id}/cancel}. */
@Path("executions")
@Produces(MediaType.APPLICATION_JSON)
public class ExecutionsResource {

    @Inject
    ExecutionStore executions;

    @Inject
    ExecutionLauncher launcher;

    @GET
    @Path("{id}")
    public JsonObject get(@PathParam("id") String id) {
        long key = WorkflowsResource.id(id);
        ExecutionView e = executions.find(key).orElseThrow(() -> ApiErrors.of(Response.Status.NOT_FOUND, "No such execution"));
        return WorkflowJson.execution(e, executions.jobs(key));
    }

    @POST
    @Path("{id}/cancel")
    @RequiresRole({"admin", "operator"})
    public Response cancel(@PathParam("id") String id) {
        long key = WorkflowsResource.id(id);
        if (executions.find(key).isEmpty()) {
            throw ApiErrors.of(Response.Status.NOT_FOUND, "No such execution");
        }
        ExecutionView e = launcher.cancel(key)
                .orElseThrow(() -> ApiErrors.of(Response.Status.CONFLICT, "The execution has already finished"));
        return Response.accepted(WorkflowJson.execution(e, null)).build();
    }
}
