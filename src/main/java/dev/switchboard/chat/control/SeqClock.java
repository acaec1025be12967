package dev.switchboard.chat.control;

/**
 * Hands out strictly increasing message positions {@code millis * 1000 + n} (n = the message's number within
 * its millisecond), never below the last stored one: ids stay unique across restarts and a clock that steps
 * back. More than 1000 messages in one millisecond borrow the next millisecond. Clustered, each instance owns a slot
 * of {@link #SLOTS} and hands out only the positions {@code ≡ slot (mod SLOTS)}: two instances can never make the
 * same id, and the history stays ordered by time (to the millisecond; within one, by slot). Not thread-safe.
 */
final class SeqClock {

    static final long PER_MILLI = 1000;
    /** Instances that can post at once, clustered: 62 positions per millisecond each. */
    static final int SLOTS = 16;
    private long last;
    private long slot;
    private long stride = 1;

    /** From now on only positions {@code ≡ slot (mod stride)}. */
    void slot(int slot, int stride) {
        this.slot = slot;
        this.stride = stride;
    }

    void resumeAfter(long lastSeq) {
        last = Math.max(last, lastSeq);
    }

    long next(long nowMillis) {
        long candidate = nowMillis * PER_MILLI;
        long v = candidate > last ? candidate : last + 1;
        v += Math.floorMod(slot - v, stride);
        last = v;
        return last;
    }

    static long millis(long seq) {
        return seq / PER_MILLI;
    }

    /** The wire id: {@code msg_<epochMillis>_<n>}. */
    static String id(long seq) {
        return "msg_" + (seq / PER_MILLI) + "_" + (seq % PER_MILLI);
    }

    /** @return the seq of a wire id, or -1 when it is not one */
    static long parse(String id) {
        if (id == null || !id.startsWith("msg_")) {
            return -1;
        }
        int sep = id.indexOf('_', 4);
        if (sep < 0) {
            return -1;
        }
        try {
            long millis = Long.parseLong(id.substring(4, sep));
            long n = Long.parseLong(id.substring(sep + 1));
            if (millis < 0 || n < 0 || n >= PER_MILLI || millis > Long.MAX_VALUE / PER_MILLI - 1) {
                return -1;
            }
            return millis * PER_MILLI + n;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
