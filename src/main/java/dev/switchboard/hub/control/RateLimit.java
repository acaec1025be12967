package dev.switchboard.hub.control;

/** A token bucket: {@code perSecond} sustained, {@code burst} at once. One per connection, used by its reader thread. */
public final class RateLimit {

    private final double tokensPerNano;
    private final double burst;
    private double tokens;
    private long last;
    private long lastRefusalReported = Long.MIN_VALUE;

    public RateLimit(double perSecond, double burst, long nowNanos) {
        this.tokensPerNano = perSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.last = nowNanos;
    }

    public synchronized boolean tryAcquire(long nowNanos) {
        tokens = Math.min(burst, tokens + (nowNanos - last) * tokensPerNano);
        last = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Whether the bucket has refilled completely: it then remembers nothing and may be dropped. */
    public synchronized boolean isFull(long nowNanos) {
        return tokens + (nowNanos - last) * tokensPerNano >= burst;
    }

    /** Milliseconds until the next token. */
    public synchronized long retryAfterMillis() {
        return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / tokensPerNano / 1e6);
    }

    /** @return true at most once per second: whether a refusal should be told to the client, not just dropped */
    public synchronized boolean shouldReport(long nowNanos) {
        if (nowNanos - lastRefusalReported >= 1_000_000_000L || lastRefusalReported == Long.MIN_VALUE) {
            lastRefusalReported = nowNanos;
            return true;
        }
        return false;
    }
}
