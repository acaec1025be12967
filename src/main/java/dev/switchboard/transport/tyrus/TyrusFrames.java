package dev.switchboard.transport.tyrus;

import dev.switchboard.hub.entity.Frame;
import dev.switchboard.hub.entity.Transport;
import dev.switchboard.transport.FrameWriter;

import java.util.List;

/**
 * The hub's frames on Tyrus's writer ({@link TyrusWire}): each frame's RFC 6455 bytes made once per broadcast and
 * shared ({@link Frame#encoded}, {@link WireFrames.Shared}: plain, and compressed for the connections that negotiated
 * permessage-deflate, from {@code minBytes} on); frames that queued behind a write in flight are copied one after the other into one
 * buffer and written together, so a reader that fell behind gets one write (one syscall, one queue entry) for many.
 */
final class TyrusFrames implements FrameWriter {

    private final TyrusWire wire;
    private final int minBytes;

    /** @param minBytes frames of at least this many bytes go out compressed; {@code Integer.MAX_VALUE}: none */
    TyrusFrames(TyrusWire wire, int minBytes) {
        this.wire = wire;
        this.minBytes = minBytes;
    }

    private byte[] bytes(Frame frame) {
        WireFrames.Shared shared = frame.encoded(WireFrames.Shared::new);
        return frame.bytes() >= minBytes ? shared.compressed() : shared.plain();
    }

    @Override
    public void write(Frame frame, Transport.SendCallback done) {
        wire.write(bytes(frame), done);
    }

    @Override
    public boolean writesBatches() {
        return true;
    }

    @Override
    public void writeAll(List<Frame> frames, Transport.SendCallback done) {
        int n = frames.size();
        byte[][] parts = new byte[n][];
        int total = 0;
        for (int i = 0; i < n; i++) {
            parts[i] = bytes(frames.get(i));
            total += parts[i].length;
        }
        byte[] all = new byte[total];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        wire.write(all, done);
    }
}
