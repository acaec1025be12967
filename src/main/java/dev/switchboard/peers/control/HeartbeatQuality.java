package dev.switchboard.peers.control;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * What the heartbeats of one instance say about the path to it, as a 0–100 {@code connection_quality}.
 * <p>
 * A heartbeat carries only its send time, so what can be measured is: <b>losses</b>, beats that should have
 * arrived and did not (a gap between two arrivals of about n intervals means n − 1 were lost; a beat overdue now
 * counts as lost too, so the figure falls while an instance is silent), and the <b>delay</b> of each beat
 * (arrival − send time; one way, so it includes the clocks' difference, clamped at 0). Over the last
 * {@link #WINDOW} expected beats: quality = 100 × the share received − a delay penalty (1 point per 10 ms of median
 * delay above {@link #FREE_DELAY_MS} ms, at most {@link #MAX_DELAY_PENALTY}). A beat sent no later than the last
 * one counted (a duplicate, or one overtaken) is ignored. Not thread-safe: its owner holds the lock.
 */
final class HeartbeatQuality {

    static final int WINDOW = 20;
    static final long FREE_DELAY_MS = 50;
    static final int MAX_DELAY_PENALTY = 40;

    private final long intervalMillis;
    /** true = received, false = lost; the oldest first, at most WINDOW */
    private final Deque<Boolean> slots = new ArrayDeque<>();
    private final Deque<Long> delays = new ArrayDeque<>();
    private Instant lastArrival;
    private Instant lastSent;
    private long received;
    private long lost;

    HeartbeatQuality(Duration interval) {
        this.intervalMillis = Math.max(1, interval.toMillis());
    }

    /** A beat sent at {@code sentAt} arrived at {@code arrivedAt}; false when it was ignored (duplicate, late). */
    boolean beat(Instant sentAt, Instant arrivedAt) {
        if (lastSent != null && !sentAt.isAfter(lastSent)) {
            return false;
        }
        if (lastArrival != null) {
            long gap = Duration.between(lastArrival, arrivedAt).toMillis();
            long missed = Math.min(WINDOW, Math.max(0, Math.round((double) gap / intervalMillis) - 1));
            for (long i = 0; i < missed; i++) {
                slot(false);
                lost++;
            }
        }
        slot(true);
        received++;
        delays.addLast(Math.max(0, Duration.between(sentAt, arrivedAt).toMillis()));
        while (delays.size() > WINDOW) {
            delays.removeFirst();
        }
        lastSent = sentAt;
        lastArrival = arrivedAt;
        return true;
    }

    private void slot(boolean ok) {
        slots.addLast(ok);
        while (slots.size() > WINDOW) {
            slots.removeFirst();
        }
    }

    /** Beats that should have come since the last one and have not: 0 until 1.5 intervals have passed. */
    long overdue(Instant now) {
        if (lastArrival == null) {
            return 0;
        }
        long age = Duration.between(lastArrival, now).toMillis();
        return Math.max(0, Math.round((double) age / intervalMillis) - 1);
    }

    int quality(Instant now) {
        if (lastArrival == null) {
            return 0;
        }
        long overdue = Math.min(WINDOW, overdue(now));
        long ok = 0;
        long total = 0;
        // the overdue beats push the oldest slots out of the window, as real losses would
        int skip = (int) Math.max(0, slots.size() + overdue - WINDOW);
        int i = 0;
        for (boolean s : slots) {
            if (i++ < skip) {
                continue;
            }
            total++;
            if (s) {
                ok++;
            }
        }
        total += overdue;
        double share = total == 0 ? 0 : (double) ok / total;
        long penalty = Math.min(MAX_DELAY_PENALTY, Math.max(0, medianDelay() - FREE_DELAY_MS) / 10);
        return (int) Math.max(0, Math.min(100, Math.round(100 * share) - penalty));
    }

    long medianDelay() {
        if (delays.isEmpty()) {
            return 0;
        }
        long[] sorted = delays.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    Instant lastArrival() {
        return lastArrival;
    }

    long received() {
        return received;
    }

    long lost() {
        return lost;
    }
}
