package dev.switchboard.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.IOException;
import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain HTTP calls against a running server. */
public final class Api {

    // HTTP/1.1 as browsers speak it to a cleartext server: the default tries an h2c upgrade, which Grizzly drops under load
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    /** Status and body of a response; the body parsed when it is a JSON object. */
    public record Reply(int status, String body) {
        public JsonObject json() {
            try (var reader = Json.createReader(new StringReader(body))) {
                return reader.readObject();
            }
        }
    }

    private Api() {
    }

    public static Reply post(AppServer server, String path, String json) {
        return send(HttpRequest.newBuilder(server.http(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    public static Reply get(AppServer server, String path) {
        return send(HttpRequest.newBuilder(server.http(path)).GET().build());
    }

    /** A GET of an absolute address (such as {@link AppServer#health}, which is not on the application port everywhere). */
    public static Reply get(java.net.URI uri) {
        return send(HttpRequest.newBuilder(uri).GET().build());
    }

    /** Any method with an optional bearer token and an optional JSON body. */
    public static Reply call(AppServer server, String method, String path, String token, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.http(path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b.build());
    }

    public static Reply login(AppServer server, String username, String password) {
        return post(server, "/api/auth/login", Json.createObjectBuilder()
                .add("username", username).add("password", password).build().toString());
    }

    /** A token for the configured admin. */
    public static String adminToken(AppServer server) {
        Reply r = login(server, "admin", AppServer.ADMIN_PASSWORD);
        if (r.status() != 200) {
            throw new AssertionError("admin login failed: " + r);
        }
        return r.json().getString("token");
    }

    private static Reply send(HttpRequest request) {
        try {
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
