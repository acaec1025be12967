package dev.switchboard.hub;

import dev.switchboard.hub.entity.Disconnect;
import dev.switchboard.hub.entity.Frame;
import dev.switchboard.hub.entity.Transport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A transport for plain unit tests of the hub (no socket can be had in a unit test): completes writes inline,
 * or holds them until {@link #complete()} to play a client that does not read.
 */
public final class RecordingTransport implements Transport {

    public final List<String> sent = new CopyOnWriteArrayList<>();
    public final List<Disconnect> closes = new CopyOnWriteArrayList<>();
    private final List<SendCallback> pending = new ArrayList<>();
    private final boolean inline;
    public int pings;
    public int maxMessageBytes;
    /** Set above 0 to take batches ({@link #sendAll}); each batch is recorded in {@link #batches}. */
    public int coalesceBytes;
    public final List<List<String>> batches = new CopyOnWriteArrayList<>();

    public RecordingTransport(boolean inline) {
        this.inline = inline;
    }

    @Override
    public void send(Frame frame, SendCallback done) {
        sent.add(frame.text());
        if (inline) {
            done.completed(null);
        } else {
            synchronized (pending) {
                pending.add(done);
            }
        }
    }

    @Override
    public int coalesceBytes() {
        return coalesceBytes;
    }

    @Override
    public void sendAll(List<Frame> frames, SendCallback done) {
        List<String> texts = frames.stream().map(Frame::text).toList();
        batches.add(texts);
        sent.addAll(texts);
        if (inline) {
            done.completed(null);
        } else {
            synchronized (pending) {
                pending.add(done);
            }
        }
    }

    @Override
    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    /** Completes the writes held so far. */
    public void complete() {
        List<SendCallback> now;
        synchronized (pending) {
            now = new ArrayList<>(pending);
            pending.clear();
        }
        now.forEach(c -> c.completed(null));
    }

    public void fail(Throwable t) {
        List<SendCallback> now;
        synchronized (pending) {
            now = new ArrayList<>(pending);
            pending.clear();
        }
        now.forEach(c -> c.completed(t));
    }

    @Override
    public void ping() {
        pings++;
    }

    @Override
    public void close(Disconnect reason) {
        closes.add(reason);
    }
}
