package dev.switchboard.hub.control;

import dev.switchboard.hub.entity.Frame;
import dev.switchboard.hub.entity.Transport;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A connection's bounded outbound queue with at most one asynchronous write in flight.
 * {@link #offer} never blocks: it either hands the frame to the transport, queues it, or reports an overflow,
 * after which the queue refuses everything and the owner closes the connection.
 * A transport that completes writes on the calling thread is drained in a loop, not by recursion, and no two
 * threads are ever inside the transport's {@code send} for the same connection.
 *
 * <p>Frames that queued while a write was in flight go out together in one write when the transport takes batches
 * ({@link Transport#coalesceBytes}): as many as fit in that many bytes, at least one, in order. A reader that keeps
 * up never queues, so nothing changes for it; one that falls behind costs one write per batch, not per frame.</p>
 */
public final class Outbound {

    /** What the owner hears about: frames written, and the one terminal failure. */
    public interface Listener {
        void written(Frame frame);

        /** {@code frames} frames went out together in one write (each is also reported {@link #written}). */
        default void coalesced(int frames) {
        }

        void failed(Throwable failure);
    }

    private final Transport transport;
    private final int capacity;
    private final Listener listener;
    private final int coalesceBytes;
    /** Made when a frame first has to wait (most connections never queue one); guarded by {@code this}. */
    private ArrayDeque<Frame> queue;
    private boolean writing;
    private boolean closed;
    private boolean inSend;
    private boolean completedDuringSend;
    private Runnable afterDrain;

    public Outbound(Transport transport, int capacity, Listener listener) {
        this.transport = transport;
        this.capacity = capacity;
        this.listener = listener;
        this.coalesceBytes = transport.coalesceBytes();
    }

    /** @return {@code false} when the queue is full or already closed; the caller then closes the connection */
    public boolean offer(Frame frame) {
        synchronized (this) {
            if (closed) {
                return false;
            }
            if (writing) {
                if (queue == null) {
                    queue = new ArrayDeque<>(4);
                }
                if (queue.size() >= capacity) {
                    closed = true;
                    queue = null;
                    return false;
                }
                queue.addLast(frame);
                return true;
            }
            writing = true;
        }
        pump(frame);
        return true;
    }

    /** Refuses all further frames and drops what is queued. */
    public synchronized void close() {
        closed = true;
        queue = null;
    }

    /**
     * Refuses all further frames but writes what is queued, then runs {@code then} (once; also when a write fails),
     * so that a last error frame reaches the client before the close.
     */
    public void drainThen(Runnable then) {
        synchronized (this) {
            closed = true;
            if (writing) {
                afterDrain = then;
                return;
            }
        }
        then.run();
    }

    private Runnable drained() {
        writing = false;
        Runnable then = afterDrain;
        afterDrain = null;
        return then;
    }

    private static void run(Runnable then) {
        if (then != null) {
            then.run();
        }
    }

    public synchronized int queued() {
        return queue == null ? 0 : queue.size();
    }

    /**
     * The next write, or null when nothing waits: the first waiting frame, or a list of it and the frames behind it
     * while they fit in {@link #coalesceBytes}; guarded by {@code this}.
     */
    private Object next() {
        if (queue == null) {
            return null;
        }
        Frame first = queue.pollFirst();
        if (first == null || coalesceBytes <= 0 || queue.isEmpty()) {
            return first;
        }
        int bytes = first.bytes();
        Frame second = queue.peekFirst();
        if (bytes + second.bytes() > coalesceBytes) {
            return first;
        }
        List<Frame> batch = new ArrayList<>(Math.min(queue.size() + 1, 16));
        batch.add(first);
        while (!queue.isEmpty() && bytes + queue.peekFirst().bytes() <= coalesceBytes) {
            Frame f = queue.pollFirst();
            bytes += f.bytes();
            batch.add(f);
        }
        return batch;
    }

    /** Starts one write: a frame, or several in one write. */
    @SuppressWarnings("unchecked")
    private void start(Object write) {
        if (write instanceof Frame f) {
            transport.send(f, failure -> sent(f, failure));
        } else {
            List<Frame> batch = (List<Frame>) write;
            transport.sendAll(batch, failure -> sent(batch, failure));
        }
    }

    /**
     * Writes until a write does not complete during its own {@code send} call. Calls into the transport never
     * overlap: a completion that arrives while another thread is still inside {@code send} only flags it, and
     * that thread carries on with the next frame.
     */
    private void pump(Object first) {
        Object write = first;
        while (true) {
            synchronized (this) {
                inSend = true;
                completedDuringSend = false;
            }
            start(write);
            Runnable then;
            synchronized (this) {
                inSend = false;
                if (!completedDuringSend) {
                    return;
                }
                write = next();
                if (write != null) {
                    continue;
                }
                then = drained();
            }
            run(then);
            return;
        }
    }

    @SuppressWarnings("unchecked")
    private void sent(Object write, Throwable failure) {
        if (failure != null) {
            Runnable then;
            synchronized (this) {
                closed = true;
                queue = null;
                then = drained();
            }
            listener.failed(failure);
            run(then);
            return;
        }
        if (write instanceof Frame frame) {
            listener.written(frame);
        } else {
            List<Frame> batch = (List<Frame>) write;
            for (Frame frame : batch) {
                listener.written(frame);
            }
            listener.coalesced(batch.size());
        }
        Object next;
        Runnable then;
        synchronized (this) {
            if (inSend) {
                completedDuringSend = true;
                return;
            }
            next = next();
            if (next != null) {
                then = null;
            } else {
                then = drained();
            }
        }
        if (next != null) {
            pump(next);
        } else {
            run(then);
        }
    }
}
