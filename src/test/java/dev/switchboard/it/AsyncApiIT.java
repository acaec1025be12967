package dev.switchboard.it;

import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The AsyncAPI document is served by the WAR as it is in the repository, without a token, as YAML. Whether it is
 * valid, and whether the frames of the other ITs match it, is checked by src/test/asyncapi/validate.mjs.
 */
class AsyncApiIT {

    private final AppServer server = SharedServer.get();

    @Test
    void documentIsServedAsYaml() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.http("/asyncapi.yaml")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        String type = r.headers().firstValue("Content-Type").orElse("");
        assertTrue(type.startsWith("application/yaml"), type);
        assertEquals(Files.readString(Path.of("src/main/webapp/asyncapi.yaml")), r.body());
    }
}
