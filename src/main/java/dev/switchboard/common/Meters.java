package dev.switchboard.common;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The application's own counters, served in the Prometheus text format at {@code /metrics} on every server (no
 * MicroProfile Metrics: WildFly no longer ships it). A component asks once for its counter and bumps it from any
 * thread; a labelled counter is one {@link LongAdder} per label value, made on first use.
 */
@ApplicationScoped
public class Meters {

    /** One metric name with its help text and, for a labelled counter, the label's name. */
    public static final class Counter {
        private final String name;
        private final String help;
        private final String label;
        private final ConcurrentHashMap<String, LongAdder> values = new ConcurrentHashMap<>();

        Counter(String name, String help, String label) {
            this.name = name;
            this.help = help;
            this.label = label;
        }

        public void increment() {
            add(1);
        }

        public void add(long n) {
            values.computeIfAbsent("", k -> new LongAdder()).add(n);
        }

        /** Bumps the series of one label value; values must come from a small fixed set (reasons, kinds). */
        public void increment(String labelValue) {
            values.computeIfAbsent(labelValue, k -> new LongAdder()).increment();
        }

        public long value(String labelValue) {
            LongAdder a = values.get(labelValue);
            return a == null ? 0 : a.sum();
        }

        void render(StringBuilder out) {
            PrometheusText.header(out, name, help, "counter");
            if (label == null) {
                LongAdder a = values.get("");
                PrometheusText.sample(out, name, null, null, a == null ? 0 : a.sum());
                return;
            }
            new TreeMap<>(values).forEach((v, a) -> PrometheusText.sample(out, name, label, v, a.sum()));
        }
    }

    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    /** The counter of that name, made on first call; later calls return the same one. */
    public Counter counter(String name, String help) {
        return counters.computeIfAbsent(name, n -> new Counter(n, help, null));
    }

    /** A counter with one label (for instance {@code reason}). */
    public Counter counter(String name, String help, String label) {
        return counters.computeIfAbsent(name, n -> new Counter(n, help, label));
    }

    /** Appends every counter, sorted by name. */
    public void render(StringBuilder out) {
        new TreeMap<>(counters).values().forEach(c -> c.render(out));
    }
}
