package dev.switchboard.workflow.boundary;

import dev.switchboard.common.JsonText;
import dev.switchboard.auth.boundary.RequiresRole;
import dev.switchboard.common.ApiErrors;
import dev.switchboard.service.control.ServiceRegistry;
import dev.switchboard.workflow.control.ExecutionEvents;
import dev.switchboard.workflow.control.ExecutionLauncher;
import dev.switchboard.workflow.control.ExecutionStore;
import dev.switchboard.workflow.control.WorkflowRegistry;
import dev.switchboard.workflow.entity.ExecutionView;
import dev.switchboard.workflow.entity.WorkflowView;

import jakarta.inject.Inject;
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
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;

/** {@code /api/workflows} and their executions: reads need any valid token, writes admin or operator. */
@Path("workflows")
@Produces(MediaType.APPLICATION_JSON)
public class WorkflowsResource {

    @Inject
    ExecutionEvents events;

    @Inject
    WorkflowRegistry registry;

    @Inject
    ServiceRegistry services;

    @Inject
    ExecutionStore executions;

    @Inject
    ExecutionLauncher launcher;

    @GET
    public JsonObject list() {
        JsonArrayBuilder list = JsonText.array();
        registry.list().forEach(w -> list.add(WorkflowJson.workflow(w)));
        return JsonText.object().add("workflows", list).build();
    }

    @GET
    @Path("{id}")
    public JsonObject get(@PathParam("id") String id) {
        return WorkflowJson.workflow(registry.find(id(id)).orElseThrow(WorkflowsResource::notFound));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRole({"admin", "operator"})
    @Transactional
    public Response create(JsonValue body) {
        WorkflowInput.Parsed in = WorkflowInput.read(body, services);
        WorkflowView created = registry.create(in.name(), in.description(), in.jobs());
        return Response.created(URI.create("/api/workflows/" + created.id())).entity(WorkflowJson.workflow(created)).build();
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRole({"admin", "operator"})
    @Transactional
    public JsonObject replace(@PathParam("id") String id, JsonValue body) {
        long key = id(id);
        WorkflowInput.Parsed in = WorkflowInput.read(body, services);
        return WorkflowJson.workflow(registry.replace(key, in.name(), in.description(), in.jobs()).orElseThrow(WorkflowsResource::notFound));
    }

    @DELETE
    @Path("{id}")
    @RequiresRole({"admin", "operator"})
    @Transactional
    public Response delete(@PathParam("id") String id) {
        if (!registry.delete(id(id))) {
            throw notFound();
        }
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/executions")
    @RequiresRole({"admin", "operator"})
    public Response start(@PathParam("id") String id) {
        long workflowId = id(id);
        ExecutionView created = createExecution(workflowId);
        events.created(created, registry.find(workflowId).map(w -> w.name()).orElse(""));
        launcher.launch(created.id());
        return Response.created(URI.create("/api/executions/" + created.id()))
                .entity(WorkflowJson.execution(created, executions.jobs(created.id()))).build();
    }

    private ExecutionView createExecution(long workflowId) {
        return executions.create(workflowId).orElseThrow(WorkflowsResource::notFound);
    }

    @GET
    @Path("{id}/executions")
    public JsonObject executions(@PathParam("id") String id) {
        long key = id(id);
        registry.find(key).orElseThrow(WorkflowsResource::notFound);
        JsonArrayBuilder list = JsonText.array();
        executions.ofWorkflow(key).forEach(e -> list.add(WorkflowJson.execution(e, executions.jobs(e.id()))));
        return JsonText.object().add("executions", list).build();
    }

    static long id(String id) {
        return ApiErrors.pathId(id, "No such workflow");
    }

    private static WebApplicationException notFound() {
        return ApiErrors.of(Response.Status.NOT_FOUND, "No such workflow");
    }
}
