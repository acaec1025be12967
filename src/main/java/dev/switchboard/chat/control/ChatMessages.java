package dev.switchboard.chat.control;

import dev.switchboard.chat.entity.ChatMessagePosted;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Posting chat messages and reading their history.
 * <p>
 * A message gets its id, its place in the history and its time here, in memory, and goes into a bounded queue
 * drained by one writer thread that inserts up to {@code chat.store.batch-size} rows per transaction: a group
 * commit of whatever arrived while the previous one ran. The socket thread that posts never waits for the database.
 * <p>
 * By default ({@code chat.store.announce=after-store}) the writer announces ({@link ChatMessagePosted}) each batch
 * once its transaction has committed, in order: a {@code message:new} anyone has seen is stored and survives a
 * crash. {@code write-behind} announces at once, before storing (today's faster path: no commit on the way to
 * the clients), at the price that a crash (not a clean stop, which drains the queue) loses what was still queued,
 * seen or not. A full queue refuses the message rather than accepting something that will not be stored.
 */
@ApplicationScoped
public class ChatMessages {

    private static final Logger LOG = Logger.getLogger(ChatMessages.class.getName());
    private static final long IDLE_POLL_MILLIS = 200;

    @Inject
    ChatArchive archive;

    @Inject
    dev.switchboard.cluster.control.Leases leases;

    /** Clustered, ids come from this instance's own slot (a lease in the database), so instances never collide. */
    @Inject
    @ConfigProperty(name = "cluster.engine", defaultValue = "memory")
    String clusterEngine;

    @Inject
    Event<ChatMessagePosted> posted;

    @Resource
    ManagedThreadFactory threads;

    @Inject
    @ConfigProperty(name = "chat.store.queue-max", defaultValue = "100000")
    int queueMax;

    @Inject
    @ConfigProperty(name = "chat.store.batch-size", defaultValue = "500")
    int batchSize;

    /** How long the writer waits for a batch to fill after its first message: fewer, larger transactions. */
    @Inject
    @ConfigProperty(name = "chat.store.linger-ms", defaultValue = "0")
    long lingerMillis;

    @Inject
    @ConfigProperty(name = "chat.history.read-wait-ms", defaultValue = "5000")
    long readWaitMillis;

    /** {@code after-store} (default): announced once committed; {@code write-behind}: announced at once. */
    @Inject
    @ConfigProperty(name = "chat.store.announce", defaultValue = "after-store")
    String announce;

    private BlockingQueue<ChatMessagePosted> queue;
    private Thread writer;
    private volatile boolean running;
    private final Object written = new Object();
    /** The highest seq handed out, and the highest seq the writer has finished with (stored or given up on). */
    private long lastAssigned;
    private long lastWritten;
    /** Messages accepted and messages the writer has finished with, for the stop's log line. */
    private long acceptedCount;
    private long finishedCount;
    private final SeqClock clock = new SeqClock();

    /**
     * Accepts a message and announces it (synchronous observers run on the caller's thread).
     * @return the posted message, or empty when the store's queue is full
     */
    public Optional<ChatMessagePosted> post(String userId, String username, String text) {
        start();
        ChatMessagePosted message;
        // one lock for numbering and queueing, so the queue (and so the stored order) follows seq
        synchronized (this) {
            if (!running || queue.remainingCapacity() == 0) {
                return Optional.empty();
            }
            long seq = clock.next(System.currentTimeMillis());
            message = new ChatMessagePosted(SeqClock.id(seq), seq, userId, username, text,
                    Instant.ofEpochMilli(SeqClock.millis(seq)));
            queue.add(message);
            synchronized (written) {
                lastAssigned = seq;
                acceptedCount++;
            }
        }
        if (writeBehind()) {
            posted.fire(message);
        }
        return Optional.of(message);
    }

    /**
     * Up to {@code limit} stored messages with {@code seq < before}, newest first. Waits (bounded) until the
     * messages posted before this call are stored, so a client that saw {@code message:new} finds it here.
     */
    public List<ChatMessagePosted> before(long before, int limit) {
        awaitWritten();
        return archive.before(before, limit);
    }

    /** The history position of a message id ({@code msg_<millis>_<n>}), or -1 when it is not one. */
    public static long positionOf(String id) {
        return SeqClock.parse(id);
    }

    /** The first history position at or after a time: {@code before(positionAt(t), n)} is what was posted before t. */
    public static long positionAt(Instant time) {
        return Math.multiplyExact(time.toEpochMilli(), SeqClock.PER_MILLI);
    }

    private void awaitWritten() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(readWaitMillis);
        synchronized (written) {
            long target = lastAssigned;
            while (lastWritten < target) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    LOG.warning(() -> "chat.history.read-wait-expired behind=" + (target - lastWritten));
                    return;
                }
                try {
                    written.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Lazily, on the first post: by then the schema exists, and a server nobody chats on runs no writer. */
    private synchronized void start() {
        if (queue != null) {
            return;
        }
        long last = archive.lastSeq();
        clock.resumeAfter(last);
        if (!"memory".equalsIgnoreCase(clusterEngine.trim())) {
            int slot = leases.claimSlot("chat.seq", SeqClock.SLOTS, java.time.Duration.ofSeconds(60));
            if (slot < 0) {
                LOG.severe(() -> "chat.seq.no-slot slots=" + SeqClock.SLOTS + " (more instances than slots are posting:"
                        + " ids may collide)");
            } else {
                clock.slot(slot, SeqClock.SLOTS);
            }
        }
        synchronized (written) {
            lastAssigned = last;
            lastWritten = last;
        }
        queue = new ArrayBlockingQueue<>(Math.max(1, queueMax));
        running = true;
        writer = threads.newThread(this::drainLoop);
        writer.setName("chat-store-writer");
        writer.start();
        LOG.info(() -> "chat.store.started last-seq=" + last + " queue-max=" + queueMax + " batch-size=" + batchSize);
    }

    private void drainLoop() {
        List<ChatMessagePosted> batch = new ArrayList<>(batchSize);
        while (running || !queue.isEmpty()) {
            try {
                ChatMessagePosted first = queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, batchSize - 1);
                linger(batch);
                store(batch);
            } catch (InterruptedException e) {
                // not interrupted by drain() (that could break a JDBC write half-way); only by the container
                LOG.warning(() -> "chat.store.writer-interrupted left=" + queue.size());
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "chat.store.writer-failed", e);
            } finally {
                batch.clear();
            }
        }
    }

    private void linger(List<ChatMessagePosted> batch) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(lingerMillis);
        while (lingerMillis > 0 && running && batch.size() < batchSize) {
            long left = deadline - System.nanoTime();
            ChatMessagePosted next = left > 0 ? queue.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(IDLE_POLL_MILLIS)), TimeUnit.NANOSECONDS) : null;
            if (next != null) {
                batch.add(next);
                queue.drainTo(batch, batchSize - batch.size());
            } else if (left <= 0) {
                return;
            }
        }
    }

    private boolean writeBehind() {
        return "write-behind".equals(announce);
    }

    /**
     * Writes a batch; on failure retries each row alone, so one bad row costs only itself. After the commit (unless
     * write-behind) the stored messages are announced in order; one that could not be stored is never announced.
     */
    private void store(List<ChatMessagePosted> batch) {
        List<ChatMessagePosted> stored = batch;
        try {
            archive.insert(batch);
        } catch (RuntimeException batchFailure) {
            LOG.log(Level.WARNING, "chat.store.batch-failed size=" + batch.size() + " retrying=one-by-one", batchFailure);
            stored = new ArrayList<>(batch.size());
            for (ChatMessagePosted m : batch) {
                try {
                    archive.insert(List.of(m));
                    stored.add(m);
                } catch (RuntimeException e) {
                    LOG.log(Level.SEVERE, "chat.store.lost id=" + m.id(), e);
                }
            }
        }
        if (!writeBehind()) {
            for (ChatMessagePosted m : stored) {
                try {
                    posted.fire(m);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "chat.announce.failed id=" + m.id(), e);
                }
            }
        }
        long last = batch.get(batch.size() - 1).seq();
        synchronized (written) {
            lastWritten = Math.max(lastWritten, last);
            finishedCount += batch.size();
            written.notifyAll();
        }
    }

    /** A clean stop stores everything still queued before the application goes away. */
    @PreDestroy
    void drain() {
        if (writer == null) {
            return;
        }
        long pending;
        synchronized (written) {
            pending = acceptedCount - finishedCount;
        }
        running = false;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!writer.isAlive() && !queue.isEmpty()) {
            // the writer died (interrupted by the container): store the rest on this thread
            List<ChatMessagePosted> batch = new ArrayList<>(batchSize);
            while (queue.drainTo(batch, batchSize) > 0) {
                store(batch);
                batch.clear();
            }
        }
        if (writer.isAlive() || !queue.isEmpty()) {
            LOG.severe(() -> "chat.store.drain-incomplete left=" + queue.size());
        } else {
            LOG.info(() -> "chat.store.drained pending-at-stop=" + pending);
        }
    }
}
