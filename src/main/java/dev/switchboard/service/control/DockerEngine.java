package dev.switchboard.service.control;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonString;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The Docker Engine that DOCKER services run on and their images are built on, one place for both of its users
 * (workflow jobs and Docker operations): where it is ({@code workflow.docker-host}, else {@code DOCKER_HOST}, else
 * the local socket when there is one), a docker-java client for it, and the Engine's own words for an error.
 */
@ApplicationScoped
public class DockerEngine {

    /** What a caller says when {@link #host()} is empty. */
    public static final String NOT_CONFIGURED =
            "No Docker Engine configured: set workflow.docker-host or DOCKER_HOST (tcp://host:port or unix:///path/docker.sock)";
    private static final String DEFAULT_SOCKET = "/var/run/docker.sock";

    @Inject
    @ConfigProperty(name = "workflow.docker-host")
    Optional<String> dockerHost;

    @Inject
    @ConfigProperty(name = "workflow.docker.connect-timeout-seconds", defaultValue = "10")
    long connectTimeoutSeconds;

    /** Where the Engine is, or empty when nothing says so and there is no local socket. */
    public Optional<String> host() {
        return dockerHost.filter(h -> !h.isBlank())
                .or(() -> Optional.ofNullable(System.getenv("DOCKER_HOST")).filter(h -> !h.isBlank()))
                .or(() -> Files.exists(Path.of(DEFAULT_SOCKET)) ? Optional.of("unix://" + DEFAULT_SOCKET) : Optional.empty())
                .map(String::strip);
    }

    /** How long a connection to the Engine may take to open. */
    public Duration connectTimeout() {
        return Duration.ofSeconds(connectTimeoutSeconds);
    }

    /** The client configuration of {@code host} (TLS settings from the environment, as the docker CLI reads them). */
    public DefaultDockerClientConfig config(String host) {
        return DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build();
    }

    /** A new client of its own; the caller closes it. */
    public DockerClient client(DefaultDockerClientConfig config, int maxConnections) {
        return DockerClientImpl.getInstance(config, new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(maxConnections)
                .connectionTimeout(connectTimeout())
                .build());
    }

    /** The innermost message, which names what went wrong (connection refused, no such image, ...). */
    public static String reason(Throwable e) {
        String message = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
            if (t.getCause() == t) {
                break;
            }
        }
        if (e instanceof DockerException d && d.getMessage() != null) {
            message = engineMessage(d.getMessage());
        }
        return message == null ? e.getClass().getSimpleName() : message.strip();
    }

    /** The Engine answers errors as {@code {"message": "..."}}; docker-java puts that body in its message. */
    public static String engineMessage(String text) {
        int brace = text.indexOf('{');
        if (brace >= 0) {
            try (var reader = Json.createReader(new StringReader(text.substring(brace)))) {
                if (reader.readObject().get("message") instanceof JsonString m) {
                    return m.getString();
                }
            } catch (RuntimeException notJson) {
                // keep the text as it is
            }
        }
        return text;
    }
}
