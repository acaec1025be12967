package dev.switchboard.ops.boundary;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The last resort: a server fault becomes a JSON 500 with an incident id that is also in the log,
 * never an HTML page or a stack trace.
 */
@Provider
public class UnexpectedErrors implements ExceptionMapper<Exception> {

    private static final Logger LOG = Logger.getLogger(UnexpectedErrors.class.getName());

    @Override
    public Response toResponse(Exception e) {
        if (e instanceof WebApplicationException wae) {
            return wae.getResponse();
        }
        String incident = UUID.randomUUID().toString();
        LOG.log(Level.SEVERE, "api.unexpected incident=" + incident, e);
        return ApiErrors.error(Response.Status.INTERNAL_SERVER_ERROR, "Internal error, incident " + incident);
    }
}
