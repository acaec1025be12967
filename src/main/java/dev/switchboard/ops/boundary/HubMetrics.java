package dev.switchboard.ops.boundary;

import dev.switchboard.hub.boundary.Hub;
import dev.switchboard.hub.control.HubCounters;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/** The hub's counters as MicroProfile Metrics gauges ({@code /metrics?scope=application}, names {@code hub_*}). */
@ApplicationScoped
public class HubMetrics {

    @Inject
    Hub hub;

    @Inject
    @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
    MetricRegistry registry;

    void eager(@Observes @Initialized(ApplicationScoped.class) Object started) {
        // observing application start-up creates this bean, and with it the gauges
    }

    @PostConstruct
    void register() {
        HubCounters c = hub.counters();
        gauge("hub_connections", "Open WebSocket connections, all dialects", MetricUnits.NONE, () -> (long) hub.connectionCount());
        gauge("hub_connections_opened_total", "Connections opened", MetricUnits.NONE, sum(c.opened));
        gauge("hub_connections_closed_total", "Connections closed", MetricUnits.NONE, sum(c.closed));
        gauge("hub_frames_in_total", "Frames received", MetricUnits.NONE, sum(c.framesIn));
        gauge("hub_frames_out_total", "Frames written", MetricUnits.NONE, sum(c.framesOut));
        gauge("hub_bytes_in_total", "Bytes received (text as characters)", MetricUnits.BYTES, sum(c.bytesIn));
        gauge("hub_bytes_out_total", "Bytes written", MetricUnits.BYTES, sum(c.bytesOut));
        gauge("hub_slow_consumer_drops_total", "Connections closed because their outbound queue overflowed", MetricUnits.NONE, sum(c.slowConsumerDrops));
        gauge("hub_write_failures_total", "Connections closed because a write failed or timed out", MetricUnits.NONE, sum(c.writeFailures));
        gauge("hub_pong_timeouts_total", "Connections closed for missing pongs", MetricUnits.NONE, sum(c.pongTimeouts));
    }

    private static Supplier<Long> sum(LongAdder adder) {
        return adder::sum;
    }

    private void gauge(String name, String description, String unit, Supplier<Long> value) {
        registry.gauge(Metadata.builder().withName(name).withDescription(description).withUnit(unit).build(),
                value, Supplier::get);
    }
}
