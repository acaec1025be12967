package dev.switchboard.ops.control;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Response times of the REST API over a sliding window of one-second buckets: how many requests and how long
 * they took, for the vault's {@code performance} figures and the response-time alert.
 */
@ApplicationScoped
public class RequestStats {

    public static final int WINDOW_SECONDS = 60;

    private final long[] second = new long[WINDOW_SECONDS];
    private final long[] count = new long[WINDOW_SECONDS];
    private final long[] nanos = new long[WINDOW_SECONDS];

    /** {requests, mean seconds, requests per second} over the window. */
    public record Window(long requests, double averageSeconds, double perSecond) {
    }

    public void record(long durationNanos) {
        record(System.currentTimeMillis() / 1000, durationNanos);
    }

    synchronized void record(long epochSecond, long durationNanos) {
        int slot = (int) (epochSecond % WINDOW_SECONDS);
        if (second[slot] != epochSecond) {
            second[slot] = epochSecond;
            count[slot] = 0;
            nanos[slot] = 0;
        }
        count[slot]++;
        nanos[slot] += durationNanos;
    }

    public Window window() {
        return window(System.currentTimeMillis() / 1000);
    }

    synchronized Window window(long nowSecond) {
        long n = 0;
        long total = 0;
        for (int i = 0; i < WINDOW_SECONDS; i++) {
            if (nowSecond - second[i] < WINDOW_SECONDS) {
                n += count[i];
                total += nanos[i];
            }
        }
        return new Window(n, n == 0 ? 0 : total / 1e9 / n, (double) n / WINDOW_SECONDS);
    }
}
