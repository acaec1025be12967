package dev.switchboard.bench;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.HdrHistogram.Histogram;

/** Percentiles of a histogram recorded in microseconds, as milliseconds. */
final class Latency {

    private Latency() {
    }

    static JsonObject of(Histogram us) {
        return Json.createObjectBuilder()
                .add("p50", ms(us.getValueAtPercentile(50)))
                .add("p90", ms(us.getValueAtPercentile(90)))
                .add("p99", ms(us.getValueAtPercentile(99)))
                .add("p999", ms(us.getValueAtPercentile(99.9)))
                .add("max", ms(us.getMaxValue()))
                .add("samples", us.getTotalCount())
                .build();
    }

    private static double ms(long micros) {
        return Math.round(micros / 10.0) / 100.0;
    }
}
