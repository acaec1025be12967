package dev.switchboard.ops.control;

import dev.switchboard.ops.entity.ThresholdCrossed;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThresholdsTest {

    private final Thresholds thresholds = new Thresholds(List.of(
            new Thresholds.Watch(ThresholdCrossed.Kind.PERFORMANCE, "memory_usage", 80, 95, "Heap usage (%)")));

    private List<ThresholdCrossed> sample(double value) {
        return thresholds.judge(Map.of("memory_usage", value), Instant.EPOCH);
    }

    @Test
    void reportsEachCrossingOnceNotEverySample() {
        assertTrue(sample(50).isEmpty());
        List<ThresholdCrossed> up = sample(85.5);
        assertEquals(1, up.size());
        assertEquals("warning", up.get(0).level());
        assertEquals(80.0, up.get(0).threshold());
        assertEquals(85.5, up.get(0).value());
        assertTrue(sample(90).isEmpty(), "still above: nothing new");
        assertEquals("critical", sample(97).get(0).level());
        assertEquals("warning", sample(85).get(0).level(), "down from critical to warning is a crossing too");
        assertEquals("resolved", sample(10).get(0).level());
        assertTrue(sample(10).isEmpty());
    }

    @Test
    void aMissingValueIsNotJudged() {
        assertTrue(thresholds.judge(Map.of(), Instant.EPOCH).isEmpty());
    }

    @Test
    void theRequestWindowAveragesOnlyTheLastMinute() {
        RequestStats stats = new RequestStats();
        stats.record(1000, 2_000_000);
        stats.record(1000, 4_000_000);
        stats.record(1030, 6_000_000);
        RequestStats.Window w = stats.window(1030);
        assertEquals(3, w.requests());
        assertEquals(0.004, w.averageSeconds(), 1e-9);
        assertEquals(1, stats.window(1075).requests(), "the two at second 1000 are more than a minute old");
    }
}
