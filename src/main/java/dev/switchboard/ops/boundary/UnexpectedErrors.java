package dev.switchboard.ops.boundary;

import dev.switchboard.common.ApiErrors;

import dev.switchboard.ops.control.Faults;

import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;


/**
 * The last resort: a server fault becomes a JSON 500 with an incident id that is also in the log,
 * never an HTML page or a stack trace.
 */
@Provider
public class UnexpectedErrors implements ExceptionMapper<Exception> {

    @Inject
    Faults faults;

    @Override
    public Response toResponse(Exception e) {
        if (e instanceof WebApplicationException wae) {
            return wae.getResponse();
        }
        String incident = faults.report("api", "Unexpected " + e.getClass().getSimpleName() + " in a REST call", e);
        return ApiErrors.error(Response.Status.INTERNAL_SERVER_ERROR, "Internal error, incident " + incident);
    }
}
