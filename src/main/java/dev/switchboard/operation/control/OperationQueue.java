package dev.switchboard.operation.control;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.Executor;

/**
 * At most {@code concurrency} operations run at once, the rest wait first come, first served. Not a thread
 * pool's own queue, because a queued operation must be cancellable and must know its place.
 */
final class OperationQueue {

    /** A queued or running operation. */
    interface Task {
        String id();

        void run();
    }

    private final int concurrency;
    private final Executor executor;
    private final ArrayDeque<Task> waiting = new ArrayDeque<>();
    private int running;

    OperationQueue(int concurrency, Executor executor) {
        this.concurrency = Math.max(1, concurrency);
        this.executor = executor;
    }

    /** @return 0 when it starts at once, else how many wait before it (itself included: 1 = next) */
    synchronized int submit(Task task) {
        if (running < concurrency) {
            running++;
            dispatch(task);
            return 0;
        }
        waiting.addLast(task);
        return waiting.size();
    }

    /** Takes a waiting operation out; false when it is not waiting (running, finished, unknown). */
    synchronized boolean remove(String id) {
        for (Iterator<Task> i = waiting.iterator(); i.hasNext(); ) {
            if (i.next().id().equals(id)) {
                i.remove();
                return true;
            }
        }
        return false;
    }

    synchronized int running() {
        return running;
    }

    synchronized int waiting() {
        return waiting.size();
    }

    private void dispatch(Task task) {
        executor.execute(() -> {
            try {
                task.run();
            } finally {
                finished();
            }
        });
    }

    private synchronized void finished() {
        Task next = waiting.pollFirst();
        if (next == null) {
            running--;
        } else {
            dispatch(next);
        }
    }
}
