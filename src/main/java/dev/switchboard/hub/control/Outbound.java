package dev.switchboard.hub.control;

import dev.switchboard.hub.entity.Frame;
import dev.switchboard.hub.entity.Transport;

import java.util.ArrayDeque;

/**
 * A connection's bounded outbound queue with at most one asynchronous write in flight.
 * {@link #offer} never blocks: it either hands the frame to the transport, queues it, or reports an overflow,
 * after which the queue refuses everything and the owner closes the connection.
 * A transport that completes writes on the calling thread is drained in a loop, not by recursion, and no two
 * threads are ever inside the transport's {@code send} for the same connection.
 */
public final class Outbound {

    /** What the owner hears about: frames written, and the one terminal failure. */
    public interface Listener {
        void written(Frame frame);

        void failed(Throwable failure);
    }

    private final Transport transport;
    private final int capacity;
    private final Listener listener;
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

    /** The next waiting frame, or null; guarded by {@code this}. */
    private Frame next() {
        return queue == null ? null : queue.pollFirst();
    }

    /**
     * Writes until a write does not complete during its own {@code send} call. Calls into the transport never
     * overlap: a completion that arrives while another thread is still inside {@code send} only flags it, and
     * that thread carries on with the next frame.
     */
    private void pump(Frame first) {
        Frame frame = first;
        while (true) {
            synchronized (this) {
                inSend = true;
                completedDuringSend = false;
            }
            Frame current = frame;
            transport.send(current, failure -> sent(current, failure));
            Runnable then;
            synchronized (this) {
                inSend = false;
                if (!completedDuringSend) {
                    return;
                }
                frame = next();
                if (frame != null) {
                    continue;
                }
                then = drained();
            }
            run(then);
            return;
        }
    }

    private void sent(Frame frame, Throwable failure) {
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
        listener.written(frame);
        Frame next;
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
