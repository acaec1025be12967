package dev.switchboard.dialect.vault;

import dev.switchboard.common.JsonText;
import dev.switchboard.dialect.OriginPolicy;
import dev.switchboard.common.WireTime;
import dev.switchboard.hub.boundary.Hub;

import jakarta.inject.Inject;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.time.Instant;

/**
 * The vault's HTTP side: {@code GET /ws/health}, {@code /ws/metrics}, {@code /ws/status}. A servlet rather than a
 * JAX-RS resource because the paths sit beside the WebSocket endpoint, outside the REST application's {@code /api}.
 * Browsers may read them from the vault's allowed origins ({@code vault.cors.origins}).
 */
@WebServlet(urlPatterns = {"/ws/health", "/ws/metrics", "/ws/status"})
public class VaultHttp extends HttpServlet {

    @Inject
    Hub hub;

    @Inject
    VaultStats stats;

    @Inject
    OriginPolicy origins;

    @Inject
    VaultDialect dialect;

    @Inject
    @ConfigProperty(name = "vault.auth.required", defaultValue = "false")
    boolean authRequired;

    @Inject
    @ConfigProperty(name = "vault.rate-limit.per-second", defaultValue = "100")
    double ratePerSecond;

    @Inject
    @ConfigProperty(name = "vault.max-message-bytes", defaultValue = "1048576")
    int maxMessageBytes;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String origin = request.getHeader("Origin");
        if (origin != null) {
            if (!origins.allowed(origin, request.getHeader("Host"), dialect.origins())) {
                response.sendError(HttpServletResponse.SC_FORBIDDEN);
                return;
            }
            response.setHeader("Access-Control-Allow-Origin", origin);
            response.setHeader("Vary", "Origin");
        }
        JsonObjectBuilder body = switch (request.getServletPath()) {
            case "/ws/health" -> health();
            case "/ws/metrics" -> metrics();
            default -> status();
        };
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(body.add("timestamp", WireTime.now()).build().toString());
    }

    private long uptimeSeconds() {
        return (System.currentTimeMillis() - stats.startedAtMillis) / 1000;
    }

    private int connections() {
        return hub.connectionCount(VaultEndpoint.DIALECT);
    }

    private JsonObjectBuilder health() {
        return JsonText.object().add("status", "healthy").add("connections", connections()).add("uptime", uptimeSeconds());
    }

    private JsonObjectBuilder metrics() {
        JsonObjectBuilder topics = JsonText.object();
        int total = 0;
        for (String topic : VaultCodec.TOPICS) {
            int n = hub.holders(VaultEndpoint.DIALECT, topic);
            topics.add(topic, n);
            total += n;
        }
        return JsonText.object()
                .add("connections", connections())
                .add("subscriptions", topics)
                .add("totalSubscriptions", total)
                .add("messagesIn", stats.messagesIn.sum())
                .add("messagesOut", stats.messagesOut.sum())
                .add("rateLimited", stats.rateLimited.sum())
                .add("invalidMessages", stats.invalidMessages.sum())
                .add("authFailures", stats.authFailures.sum())
                .add("refusedConnections", stats.refusedConnections.sum())
                .add("uptime", uptimeSeconds());
    }

    private JsonObjectBuilder status() {
        return JsonText.object()
                .add("status", "running")
                .add("connections", connections())
                .add("maxConnections", dialect.limits().maxConnections())
                .add("topics", JsonText.array().add(VaultCodec.FILE_OPERATIONS).add(VaultCodec.PEER_NETWORK)
                        .add(VaultCodec.SYSTEM).add(VaultCodec.ALERTS))
                .add("authRequired", authRequired)
                .add("limits", JsonText.object().add("messagesPerSecond", ratePerSecond)
                        .add("maxMessageSize", maxMessageBytes).add("maxConnections", dialect.limits().maxConnections()))
                .add("startedAt", WireTime.iso(Instant.ofEpochMilli(stats.startedAtMillis)))
                .add("uptime", uptimeSeconds());
    }
}
