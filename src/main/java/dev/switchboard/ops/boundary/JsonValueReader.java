package dev.switchboard.ops.boundary;

import jakarta.json.Json;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.Provider;

import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

/**
 * Reads a request body declared as {@link JsonValue} (any JSON: the resources answer a non-object with their own 400).
 * Jersey (Payara) reads it itself, RESTEasy (WildFly, Liberty) only reads the structure, string and number subtypes
 * and answers 415 for {@code JsonValue}; an application's reader is preferred to the container's on every server.
 * A body that is not JSON throws {@link jakarta.json.JsonException}, which {@link JsonErrors} answers with 400.
 */
@Provider
@Consumes({MediaType.APPLICATION_JSON, "application/*+json"})
public class JsonValueReader implements MessageBodyReader<JsonValue> {

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type == JsonValue.class;
    }

    @Override
    public JsonValue readFrom(Class<JsonValue> type, Type genericType, Annotation[] annotations, MediaType mediaType,
                              MultivaluedMap<String, String> headers, InputStream body) {
        try (JsonReader reader = Json.createReader(body)) {
            return reader.readValue();
        }
    }
}
