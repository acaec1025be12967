package dev.switchboard.common;

import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;

/** The REST API's error bodies: {@code {"error": "..."}}, plus {@code "fields"} for validation failures. */
public final class ApiErrors {

    private ApiErrors() {
    }

    public static Response error(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(JsonText.object().add("error", message).build()).build();
    }

    /** 400 naming each faulty field. */
    public static WebApplicationException invalid(Map<String, String> fields) {
        JsonObjectBuilder f = JsonText.object();
        fields.forEach(f::add);
        return new WebApplicationException(Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON)
                .entity(JsonText.object().add("error", "Validation failed").add("fields", f).build()).build());
    }

    /** A numeric path id; anything else is as unknown as an id that does not exist: 404. */
    public static long pathId(String id, String notFound) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw of(Response.Status.NOT_FOUND, notFound);
        }
    }

    public static WebApplicationException of(Response.Status status, String message) {
        return new WebApplicationException(error(status, message));
    }
}
