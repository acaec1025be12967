package dev.switchboard.ops.control;

import dev.switchboard.ops.entity.MetricsSampled;
import dev.switchboard.ops.entity.ThresholdCrossed;
import dev.switchboard.ops.entity.ThresholdCrossed.Kind;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns samples into alerts, once per crossing: a metric that rises past its warning (or critical) threshold is
 * reported when it gets there, not again while it stays there, and once more ({@code resolved}) when it falls back
 * below the warning threshold. Not thread-safe: the metrics timer is its only caller.
 */
public final class Thresholds {

    /** One watched metric: its alert family, name and the two thresholds (critical ≥ warning). */
    public record Watch(Kind kind, String metric, double warning, double critical, String what) {
    }

    private final List<Watch> watches;
    private final Map<String, String> levels = new HashMap<>();

    public Thresholds(List<Watch> watches) {
        this.watches = List.copyOf(watches);
    }

    /** @param values the sample's value per metric name; a metric missing from the map is not judged */
    public List<ThresholdCrossed> judge(Map<String, Double> values, java.time.Instant at) {
        List<ThresholdCrossed> crossed = new ArrayList<>();
        for (Watch w : watches) {
            Double value = values.get(w.metric());
            if (value == null) {
                continue;
            }
            String level = value >= w.critical() ? ThresholdCrossed.CRITICAL
                    : value >= w.warning() ? ThresholdCrossed.WARNING : null;
            String before = levels.get(w.metric());
            if (Objects.equals(level, before)) {
                continue;
            }
            if (level == null) {
                levels.remove(w.metric());
                crossed.add(new ThresholdCrossed(w.kind(), ThresholdCrossed.RESOLVED, w.metric(), round(value), w.warning(),
                        w.what() + " is back below " + fmt(w.warning()), at));
            } else {
                levels.put(w.metric(), level);
                double threshold = level.equals(ThresholdCrossed.CRITICAL) ? w.critical() : w.warning();
                crossed.add(new ThresholdCrossed(w.kind(), level, w.metric(), round(value), threshold,
                        w.what() + " is " + fmt(round(value)) + ", above " + fmt(threshold), at));
            }
        }
        return crossed;
    }

    /** The values {@link #judge} understands, from a sample and the auth failures and dropped connections since the last one. */
    public static Map<String, Double> values(MetricsSampled s, long authFailures, long droppedConnections) {
        Map<String, Double> v = new HashMap<>();
        v.put("memory_usage", s.memory().usagePercent());
        v.put("response_time", s.performance().averageResponseTime() * 1000);
        v.put("disk_usage", s.storage().usedPercent());
        v.put("dropped_connections", (double) droppedConnections);
        v.put("auth_failures", (double) authFailures);
        return v;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
