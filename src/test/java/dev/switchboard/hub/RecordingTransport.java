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
