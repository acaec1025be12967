package dev.switchboard.transport;

import dev.switchboard.hub.entity.Frame;
import dev.switchboard.hub.entity.Transport;

/** A container adapter's own write path for one session: whole frames out, each completion reported once. */
@FunctionalInterface
public interface FrameWriter {

    /** Starts writing one frame; {@code done} hears once, possibly on this thread. Must not block. */
    void write(Frame frame, Transport.SendCallback done);
}
