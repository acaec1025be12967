package dev.switchboard.ops.entity;

import java.time.Instant;

/**
 * One periodic sample of this instance: the file area's disk, the hub's traffic, the REST API's latency and rate,
 * the JVM's memory. Fired asynchronously by the metrics timer; the dialects decide what to show of it.
 */
public record MetricsSampled(Instant at, Storage storage, Network network, Performance performance, Memory memory,
                             long uptimeSeconds) {

    /** Bytes of the disk that holds the data directory. */
    public record Storage(String path, long totalSpace, long usedSpace, long availableSpace) {
        public double usedPercent() {
            return totalSpace == 0 ? 0 : 100.0 * usedSpace / totalSpace;
        }
    }

    /** WebSocket traffic of the hub since start; {@code droppedConnections} = slow, unwritable or silent clients closed. */
    public record Network(int activeConnections, long bytesIn, long bytesOut, long messagesIn, long messagesOut,
                          long droppedConnections) {
        public long totalBytesTransferred() {
            return bytesIn + bytesOut;
        }
    }

    /** REST API over the last window: mean response time in seconds and requests per second. */
    public record Performance(double averageResponseTime, double requestsPerSecond, long requests, int windowSeconds,
                              double systemLoadAverage, int processors) {
    }

    public record Memory(long heapUsed, long heapMax) {
        public double usagePercent() {
            return heapMax <= 0 ? 0 : 100.0 * heapUsed / heapMax;
        }
    }
}
