package dev.switchboard.ops.boundary;

import dev.switchboard.common.ApiErrors;

import dev.switchboard.common.Conflict;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** {@link Conflict} → 409 {@code {"error": ...}}. */
@Provider
public class ConflictErrors implements ExceptionMapper<Conflict> {
    @Override
    public Response toResponse(Conflict e) {
        return ApiErrors.error(Response.Status.CONFLICT, e.getMessage());
    }
}
