package dev.switchboard.ops.boundary;

import dev.switchboard.auth.control.AuthFailures;
import dev.switchboard.auth.control.InvalidTokenException;
import dev.switchboard.auth.control.TokenVerifier;
import dev.switchboard.auth.entity.TokenPrincipal;
import dev.switchboard.common.Meters;
import dev.switchboard.common.PrometheusText;
import dev.switchboard.hub.boundary.Hub;
import dev.switchboard.hub.control.HubCounters;
import dev.switchboard.ops.control.StoreFigures;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code GET /metrics}: the application's figures in the Prometheus text format, the same names on every server
 * (the README lists them). The hub's counters and gauges, the counters other components keep in {@link Meters},
 * the database's figures (uploads and executions by status, the direct-message queue) and a few of the JVM's.
 * Open by default, like vault's {@code /ws/metrics}; {@code metrics.auth.required=true} asks for a token with the
 * group {@code admin} or {@code operator}.
 */
@WebServlet("/metrics")
public class PrometheusMetrics extends HttpServlet {

    private static final Logger LOG = Logger.getLogger(PrometheusMetrics.class.getName());

    @Inject
    Hub hub;

    @Inject
    Meters meters;

    @Inject
    StoreFigures store;

    @Inject
    dev.switchboard.cluster.control.Membership membership;

    @Inject
    dev.switchboard.cluster.control.ClusterBus bus;

    @Inject
    TokenVerifier verifier;

    @Inject
    AuthFailures authFailures;

    @Inject
    @ConfigProperty(name = "metrics.auth.required", defaultValue = "false")
    boolean authRequired;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (authRequired && !allowed(request.getHeader("Authorization"))) {
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            response.setHeader("WWW-Authenticate", "Bearer");
            response.setContentType("application/json");
            response.getWriter().write("{\"error\":\"Requires a token with the role admin or operator\"}");
            return;
        }
        StringBuilder out = new StringBuilder(8192);
        hubFigures(out);
        meters.render(out);
        clusterFigures(out);
        storeFigures(out);
        jvmFigures(out);
        response.setContentType("text/plain; version=0.0.4; charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(out.toString());
    }

    private boolean allowed(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        try {
            TokenPrincipal p = verifier.verify(authorization.substring(7).trim());
            return p.inGroup("admin") || p.inGroup("operator");
        } catch (InvalidTokenException e) {
            return false;
        }
    }

    private void hubFigures(StringBuilder out) {
        PrometheusText.header(out, "switchboard_connections", "Open WebSocket connections per dialect", "gauge");
        for (Map.Entry<String, Integer> e : hub.connectionCounts().entrySet()) {
            PrometheusText.sample(out, "switchboard_connections", "dialect", e.getKey(), e.getValue());
        }
        HubCounters c = hub.counters();
        PrometheusText.counter(out, "switchboard_connections_opened_total", "WebSocket connections opened", c.opened.sum());
        PrometheusText.counter(out, "switchboard_connections_closed_total", "WebSocket connections closed", c.closed.sum());
        PrometheusText.counter(out, "switchboard_frames_in_total", "Messages received", c.framesIn.sum());
        PrometheusText.counter(out, "switchboard_frames_out_total", "Frames written", c.framesOut.sum());
        PrometheusText.counter(out, "switchboard_frames_coalesced_total",
                "Frames written several in one write after they had queued behind a write in flight", c.framesCoalesced.sum());
        PrometheusText.counter(out, "switchboard_bytes_in_total", "Bytes received (text counted in characters)", c.bytesIn.sum());
        PrometheusText.counter(out, "switchboard_bytes_out_total", "Bytes written (UTF-8 payload)", c.bytesOut.sum());
        PrometheusText.counter(out, "switchboard_slow_consumer_drops_total",
                "Connections closed because their outbound queue overflowed", c.slowConsumerDrops.sum());
        PrometheusText.counter(out, "switchboard_write_failures_total",
                "Connections closed because a write failed or timed out", c.writeFailures.sum());
        PrometheusText.counter(out, "switchboard_pong_timeouts_total", "Connections closed for missing pongs", c.pongTimeouts.sum());
        PrometheusText.counter(out, "switchboard_idle_timeouts_total",
                "Connections closed for sending nothing within their dialect's idle limit", c.idleTimeouts.sum());
        PrometheusText.gauge(out, "switchboard_outbound_queued_frames", "Frames waiting in all outbound queues", hub.queuedFrames());
        PrometheusText.counter(out, "switchboard_auth_failures_total",
                "Refused credentials: failed logins and tokens that failed verification", authFailures.total());
    }

    /** Alone (the in-memory engine) the figures are 1 member, reachable, nothing sent. */
    private void clusterFigures(StringBuilder out) {
        int members;
        boolean reachable;
        try {
            members = membership.others().size() + 1;
            reachable = membership.reachable();
        } catch (RuntimeException starting) {
            members = 1;
            reachable = false;
        }
        PrometheusText.gauge(out, "switchboard_cluster_members", "Live cluster members as this instance sees them, itself included", members);
        PrometheusText.gauge(out, "switchboard_cluster_backplane_up", "1 when the cluster engine is reachable", reachable ? 1 : 0);
        PrometheusText.counter(out, "switchboard_cluster_messages_sent_total", "Messages published to the other instances", bus.sentCount());
        PrometheusText.counter(out, "switchboard_cluster_messages_received_total", "Messages handled from the other instances", bus.receivedCount());
        PrometheusText.header(out, "switchboard_cluster_messages_dropped_total",
                "Messages lost: out = the engine was unreachable, in = the inbound queue was full", "counter");
        PrometheusText.sample(out, "switchboard_cluster_messages_dropped_total", "direction", "out", bus.droppedOutbound());
        PrometheusText.sample(out, "switchboard_cluster_messages_dropped_total", "direction", "in", bus.droppedInbound());
    }

    /** The database may be away: the rest of the page is still worth serving, so these are left out and logged. */
    private void storeFigures(StringBuilder out) {
        try {
            Map<String, Long> uploads = store.uploadSessionsByStatus();
            Map<String, Long> executions = store.executionsByStatus();
            long queued = store.queuedDirectMessages();
            PrometheusText.header(out, "switchboard_upload_sessions", "Upload sessions by status", "gauge");
            uploads.forEach((s, n) -> PrometheusText.sample(out, "switchboard_upload_sessions", "status", s, n));
            PrometheusText.header(out, "switchboard_executions", "Workflow executions by status", "gauge");
            executions.forEach((s, n) -> PrometheusText.sample(out, "switchboard_executions", "status", s, n));
            PrometheusText.gauge(out, "switchboard_dm_queue_depth", "Direct messages waiting for offline users", queued);
            PrometheusText.gauge(out, "switchboard_store_up", "Whether the database answered this scrape", 1);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "metrics.store.unavailable", e);
            PrometheusText.gauge(out, "switchboard_store_up", "Whether the database answered this scrape", 0);
        }
    }

    private static void jvmFigures(StringBuilder out) {
        var memory = ManagementFactory.getMemoryMXBean();
        PrometheusText.gauge(out, "jvm_memory_heap_used_bytes", "Heap in use", memory.getHeapMemoryUsage().getUsed());
        PrometheusText.gauge(out, "jvm_memory_heap_max_bytes", "Largest heap", memory.getHeapMemoryUsage().getMax());
        PrometheusText.gauge(out, "jvm_threads_live", "Live threads", ManagementFactory.getThreadMXBean().getThreadCount());
        PrometheusText.gauge(out, "process_uptime_seconds", "Seconds since the JVM started",
                ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
    }
}
