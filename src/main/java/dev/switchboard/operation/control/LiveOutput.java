package dev.switchboard.operation.control;

import java.util.function.Consumer;

/**
 * Output on its way to clients: lines gather here and leave as one frame per flush (every
 * {@code ops.stream.flush-ms}), at most {@code frameMax} characters each. A builder that writes faster than that
 * cannot flood the connections: lines past a full frame are left out of the live stream (never out of the
 * stored log's budget) and the next frame says how many.
 */
final class LiveOutput {

    private final int frameMax;
    private final Consumer<String> sink;
    private final StringBuilder pending = new StringBuilder();
    private long skipped;

    LiveOutput(int frameMax, Consumer<String> sink) {
        this.frameMax = Math.max(256, frameMax);
        this.sink = sink;
    }

    synchronized void line(String line) {
        if (pending.length() + line.length() + 1 <= frameMax - 128) {
            pending.append(line).append('\n');
        } else {
            skipped++;
        }
    }

    /** Sends what gathered, if anything; the caller's later frames come after it. */
    synchronized void flush() {
        if (pending.length() == 0 && skipped == 0) {
            return;
        }
        if (skipped > 0) {
            pending.append("[").append(skipped).append(" lines not streamed: output too fast; see the operation's log]\n");
            skipped = 0;
        }
        String text = pending.toString();
        pending.setLength(0);
        sink.accept(text);
    }
}
