package dev.switchboard.hub.control;

import java.util.concurrent.atomic.LongAdder;

/** Monotonic counters of the hub; cheap to bump from any thread. */
public final class HubCounters {
    public final LongAdder opened = new LongAdder();
    public final LongAdder closed = new LongAdder();
    public final LongAdder framesIn = new LongAdder();
    public final LongAdder bytesIn = new LongAdder();
    public final LongAdder framesOut = new LongAdder();
    public final LongAdder bytesOut = new LongAdder();
    /** Frames that went out several in one write, after they had queued behind a write in flight. */
    public final LongAdder framesCoalesced = new LongAdder();
    /** Connections closed because their outbound queue overflowed. */
    public final LongAdder slowConsumerDrops = new LongAdder();
    /** Connections closed because a write failed or timed out. */
    public final LongAdder writeFailures = new LongAdder();
    /** Connections closed for missing pongs. */
    public final LongAdder pongTimeouts = new LongAdder();
    /** Connections closed for sending no message within their dialect's idle limit. */
    public final LongAdder idleTimeouts = new LongAdder();
}
