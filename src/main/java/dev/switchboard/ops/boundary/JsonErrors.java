package dev.switchboard.ops.boundary;

import dev.switchboard.common.ApiErrors;

import jakarta.json.JsonException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** A request body that is not JSON is the client's fault: 400 with {@code {"error": ...}}, never a 500. */
@Provider
public class JsonErrors implements ExceptionMapper<JsonException> {
    @Override
    public Response toResponse(JsonException e) {
        return ApiErrors.error(Response.Status.BAD_REQUEST, "Malformed JSON body");
    }
}
