package dev.switchboard.hub.control;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets shared by every connection of one key (a user of a dialect): the limit is per user, however many
 * connections the user opens. A bucket lives while a connection holds it.
 */
public final class SharedRateLimits {

    private record Entry(RateLimit limit, int holders) {
    }

    private final ConcurrentHashMap<String, Entry> byKey = new ConcurrentHashMap<>();

    public RateLimit acquire(String key, double perSecond, double burst) {
        return byKey.compute(key, (k, e) -> e == null
                ? new Entry(new RateLimit(perSecond, burst, System.nanoTime()), 1)
                : new Entry(e.limit(), e.holders() + 1)).limit();
    }

    /** The bucket of a key while some connection holds it, else null. */
    public RateLimit existing(String key) {
        Entry e = byKey.get(key);
        return e == null ? null : e.limit();
    }

    public void release(String key) {
        byKey.computeIfPresent(key, (k, e) -> e.holders() <= 1 ? null : new Entry(e.limit(), e.holders() - 1));
    }
}
