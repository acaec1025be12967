package dev.switchboard.auth.control;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Failed attempts per key (a user name, a client address) with exponential backoff: the first
 * {@code freeFailures} cost nothing, each one after them locks the key for {@code base × 2^(n-1)} (at most
 * {@code max}) from the moment it happened. A key is forgotten once its lock has passed and {@code window}
 * went by without a new failure.
 * <p>
 * Memory is bounded: at most {@code capacity} keys. When full, forgotten keys go first, then the keys with the
 * fewest failures, so that spraying many names or addresses cannot push out the one under a real attack.
 * One lock for everything: every caller is about to spend a password hash, which costs far more.
 */
final class FailureCounters {

    /** Whether a key may try now, and if not, for how many more milliseconds it is locked. */
    record Verdict(boolean allowed, long retryAfterMillis) {
        static final Verdict ALLOWED = new Verdict(true, 0);
    }

    private static final class Entry {
        int failures;
        long lastFailure;
        long lockedUntil = Long.MIN_VALUE;
    }

    private final int freeFailures;
    private final long baseMillis;
    private final long maxMillis;
    private final long windowMillis;
    private final int capacity;
    private final Map<String, Entry> entries = new HashMap<>();

    FailureCounters(int freeFailures, long baseMillis, long maxMillis, long windowMillis, int capacity) {
        if (capacity < 1 || baseMillis < 0 || maxMillis < baseMillis || freeFailures < 0) {
            throw new IllegalArgumentException("free failures must be >= 0, tracked-max >= 1 and 0 <= backoff base <= backoff max");
        }
        this.freeFailures = freeFailures;
        this.baseMillis = baseMillis;
        this.maxMillis = maxMillis;
        this.windowMillis = windowMillis;
        this.capacity = capacity;
    }

    synchronized Verdict check(String key, long now) {
        Entry e = entries.get(key);
        if (e == null) {
            return Verdict.ALLOWED;
        }
        if (forgotten(e, now)) {
            entries.remove(key);
            return Verdict.ALLOWED;
        }
        return now < e.lockedUntil ? new Verdict(false, e.lockedUntil - now) : Verdict.ALLOWED;
    }

    synchronized void failed(String key, long now) {
        Entry e = entries.get(key);
        if (e != null && forgotten(e, now)) {
            entries.remove(key);
            e = null;
        }
        if (e == null) {
            makeRoom(now);
            e = new Entry();
            entries.put(key, e);
        }
        e.failures++;
        e.lastFailure = now;
        int beyond = e.failures - freeFailures;
        if (beyond > 0) {
            // doubling, capped before it can overflow
            long delay = beyond > 40 ? maxMillis : Math.min(maxMillis, baseMillis << Math.min(beyond - 1, 40));
            e.lockedUntil = Math.max(e.lockedUntil, now + delay);
        }
    }

    synchronized void succeeded(String key) {
        entries.remove(key);
    }

    synchronized int size() {
        return entries.size();
    }

    private boolean forgotten(Entry e, long now) {
        return now >= e.lockedUntil && now - e.lastFailure >= windowMillis;
    }

    private void makeRoom(long now) {
        if (entries.size() < capacity) {
            return;
        }
        entries.values().removeIf(e -> forgotten(e, now));
        while (entries.size() >= capacity) {
            Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
            Map.Entry<String, Entry> weakest = it.next();
            while (it.hasNext()) {
                Map.Entry<String, Entry> candidate = it.next();
                if (candidate.getValue().failures < weakest.getValue().failures) {
                    weakest = candidate;
                }
            }
            entries.remove(weakest.getKey());
        }
    }
}
