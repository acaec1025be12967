package dev.switchboard.transport;

import dev.switchboard.hub.entity.Frame;
import dev.switchboard.hub.entity.Transport;

import java.util.List;

/** A container adapter's own write path for one session: whole frames out, each completion reported once. */
@FunctionalInterface
public interface FrameWriter {

    /** Starts writing one frame; {@code done} hears once, possibly on this thread. Must not block. */
    void write(Frame frame, Transport.SendCallback done);

    /** Whether {@link #writeAll} can put several frames in one write. */
    default boolean writesBatches() {
        return false;
    }

    /** Starts one write of several whole frames in order; {@code done} hears once. Must not block. */
    default void writeAll(List<Frame> frames, Transport.SendCallback done) {
        throw new UnsupportedOperationException("this writer takes one frame at a time");
    }
}
