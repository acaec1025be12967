package dev.switchboard.ops.entity;

import java.time.Instant;

/**
 * A watched metric crossed one of its thresholds: up into {@code warning} or {@code critical}, or back down
 * ({@code resolved}). Fired once per crossing, never once per sample.
 */
public record ThresholdCrossed(Kind kind, String level, String metric, double value, double threshold, String message,
                               Instant at) {

    /** Which alert family the metric belongs to (vault's {@code *_alert} types). */
    public enum Kind { PERFORMANCE, STORAGE, NETWORK, SECURITY }

    public static final String WARNING = "warning";
    public static final String CRITICAL = "critical";
    public static final String RESOLVED = "resolved";
}
