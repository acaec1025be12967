package dev.switchboard.hub.entity;

import java.util.List;

/**
 * The one port every dialect implements: a live connection the hub can write already-encoded frames to.
 * Implementations must not block in {@link #send}; completion is reported through the callback.
 */
public interface Transport {

    /** Starts an asynchronous write of one text frame; {@code done} gets {@code null} on success or the failure. */
    void send(Frame frame, SendCallback done);

    /**
     * How many bytes of frames that queued behind a write in flight this transport takes in one write
     * ({@link #sendAll}); 0 (the default) = one frame per write.
     */
    default int coalesceBytes() {
        return 0;
    }

    /**
     * Starts one asynchronous write of several frames, each whole and in this order; {@code done} hears once for all
     * of them. Called only when {@link #coalesceBytes} is above 0.
     */
    default void sendAll(List<Frame> frames, SendCallback done) {
        throw new UnsupportedOperationException("this transport writes one frame at a time");
    }

    /** Called about once a second by the keep-alive sweep: a transport that times its own writes fails a stuck one here. */
    default void checkWrite(long nowNanos) {
    }

    /** The client's network address, when the container tells it (shown to admins; {@code null} otherwise). */
    default String clientAddress() {
        return null;
    }

    /**
     * The largest inbound message this connection accepts, in bytes; 0 = none of its own. The hub closes a connection
     * with 1009 for a larger one whether or not the container did (not every container enforces its own limit).
     */
    default int maxMessageBytes() {
        return 0;
    }

    /** Sends a WebSocket ping control frame, best effort. */
    void ping();

    /** Closes the connection with a close code; must not block the caller. */
    void close(Disconnect reason);

    @FunctionalInterface
    interface SendCallback {
        void completed(Throwable failure);
    }
}
