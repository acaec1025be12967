package dev.switchboard.ops.control;


import dev.switchboard.auth.control.AuthFailures;
import dev.switchboard.hub.boundary.Hub;
import dev.switchboard.hub.control.HubCounters;
import dev.switchboard.ops.entity.MetricsSampled;
import dev.switchboard.ops.entity.ThresholdCrossed;
import dev.switchboard.ops.entity.ThresholdCrossed.Kind;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Samples this instance every {@code metrics.interval-seconds}, fires the sample, and fires an alert for every
 * threshold the sample crossed. Not persistent: a missed sample after a restart has no value.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class MetricsTimer {

    private static final Logger LOG = Logger.getLogger(MetricsTimer.class.getName());

    @Resource
    TimerService timers;

    @Inject
    Hub hub;

    @Inject
    RequestStats requests;

    @Inject
    AuthFailures authFailures;

    @Inject
    dev.switchboard.upload.control.UploadStorage uploadStorage;

    @Inject
    Event<MetricsSampled> sampled;

    @Inject
    Event<ThresholdCrossed> crossed;

    @Inject
    @ConfigProperty(name = "metrics.interval-seconds", defaultValue = "10")
    long intervalSeconds;

    @Inject
    @ConfigProperty(name = "alerts.memory.warning-percent", defaultValue = "80")
    double memoryWarning;

    @Inject
    @ConfigProperty(name = "alerts.memory.critical-percent", defaultValue = "95")
    double memoryCritical;

    @Inject
    @ConfigProperty(name = "alerts.response-time.warning-ms", defaultValue = "500")
    double responseWarning;

    @Inject
    @ConfigProperty(name = "alerts.response-time.critical-ms", defaultValue = "2000")
    double responseCritical;

    @Inject
    @ConfigProperty(name = "alerts.disk.warning-percent", defaultValue = "85")
    double diskWarning;

    @Inject
    @ConfigProperty(name = "alerts.disk.critical-percent", defaultValue = "95")
    double diskCritical;

    @Inject
    @ConfigProperty(name = "alerts.network.dropped-connections-per-interval", defaultValue = "10")
    double droppedWarning;

    @Inject
    @ConfigProperty(name = "alerts.security.auth-failures-per-interval", defaultValue = "20")
    double authWarning;

    private Thresholds thresholds;
    private long lastAuthFailures;
    private long lastDropped;

    @PostConstruct
    void schedule() {
        thresholds = new Thresholds(List.of(
                new Thresholds.Watch(Kind.PERFORMANCE, "memory_usage", memoryWarning, memoryCritical, "Heap usage (%)"),
                new Thresholds.Watch(Kind.PERFORMANCE, "response_time", responseWarning, responseCritical, "Mean REST response time (ms)"),
                new Thresholds.Watch(Kind.STORAGE, "disk_usage", diskWarning, diskCritical, "Disk usage of the upload storage (%)"),
                new Thresholds.Watch(Kind.NETWORK, "dropped_connections", droppedWarning, droppedWarning * 10,
                        "WebSocket connections dropped (slow, unwritable or silent) in the last interval"),
                new Thresholds.Watch(Kind.SECURITY, "auth_failures", authWarning, authWarning * 10,
                        "Refused credentials in the last interval")));
        lastAuthFailures = authFailures.total();
        long ms = intervalSeconds * 1000;
        timers.createIntervalTimer(ms, ms, new TimerConfig("metrics.sample", false));
    }

    @Timeout
    void sample() {
        try {
            MetricsSampled s = take();
            long failures = authFailures.total();
            long dropped = s.network().droppedConnections();
            var values = Thresholds.values(s, failures - lastAuthFailures, dropped - lastDropped);
            lastAuthFailures = failures;
            lastDropped = dropped;
            sampled.fireAsync(s);
            for (ThresholdCrossed c : thresholds.judge(values, s.at())) {
                LOG.info(() -> "ops.alert kind=" + c.kind() + " level=" + c.level() + " metric=" + c.metric()
                        + " value=" + c.value() + " threshold=" + c.threshold());
                crossed.fireAsync(c);
            }
        } catch (RuntimeException e) {
            // a failed sample must not cancel the interval timer
            LOG.log(Level.WARNING, "ops.metrics.sample-failed", e);
        }
    }

    MetricsSampled take() {
        HubCounters c = hub.counters();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        RequestStats.Window w = requests.window();
        var os = ManagementFactory.getOperatingSystemMXBean();
        return new MetricsSampled(Instant.now(), storage(),
                new MetricsSampled.Network(hub.connectionCount(), c.bytesIn.sum(), c.bytesOut.sum(), c.framesIn.sum(),
                        c.framesOut.sum(), c.slowConsumerDrops.sum() + c.writeFailures.sum() + c.pongTimeouts.sum()),
                new MetricsSampled.Performance(w.averageSeconds(), w.perSecond(), w.requests(), RequestStats.WINDOW_SECONDS,
                        os.getSystemLoadAverage(), os.getAvailableProcessors()),
                new MetricsSampled.Memory(heap.getUsed(), heap.getMax() > 0 ? heap.getMax() : heap.getCommitted()),
                ManagementFactory.getRuntimeMXBean().getUptime() / 1000);
    }

    private MetricsSampled.Storage storage() {
        // where the services' files are: the upload storage, which a cluster shares
        Path root = uploadStorage.services();
        try {
            Files.createDirectories(root);
            FileStore store = Files.getFileStore(root);
            long total = store.getTotalSpace();
            long available = store.getUsableSpace();
            return new MetricsSampled.Storage(root.toString(), total, total - available, available);
        } catch (IOException e) {
            LOG.log(Level.FINE, "ops.metrics.storage-unreadable", e);
            return new MetricsSampled.Storage(root.toString(), 0, 0, 0);
        }
    }
}
