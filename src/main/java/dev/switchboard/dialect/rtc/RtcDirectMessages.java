package dev.switchboard.dialect.rtc;

import dev.switchboard.cluster.control.Relay;
import dev.switchboard.cluster.entity.ClusterSignal;
import dev.switchboard.transport.Sockets;
import dev.switchboard.hub.boundary.Hub;
import dev.switchboard.hub.control.Connection;
import dev.switchboard.hub.entity.Frame;
import dev.switchboard.messaging.control.Mailbox;
import dev.switchboard.messaging.entity.MailboxFull;
import dev.switchboard.messaging.entity.PendingDirectMessage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Direct messages between users of the rtc dialect: straight to every open rtc connection of the recipient, else
 * into the {@link Mailbox}, which is emptied into a connection of the recipient as soon as there is one.
 * <p>
 * No message is lost between "stored" and "connected": a connection registers with the hub before it claims its
 * mailbox, and a sender re-checks for connections after its insert committed, so one of the two always sees the
 * other. Claims of one user run one at a time on this instance (so batches never overtake each other) and are
 * exclusive in the database (so no two connections get the same message).
 */
@ApplicationScoped
public class RtcDirectMessages {

    private static final Logger LOG = Logger.getLogger(RtcDirectMessages.class.getName());
    private static final int BATCH = 100;

    /** What became of a direct message: the connections it was queued for, or stored / refused. */
    sealed interface Outcome permits Delivered, Stored, Refused {
    }

    record Delivered(List<String> connectionIds) implements Outcome {
    }

    record Stored() implements Outcome {
    }

    record Refused(int code, String message) implements Outcome {
    }

    @Inject
    Hub hub;

    @Inject
    Mailbox mailbox;

    @Inject
    Sockets sockets;

    @Inject
    Relay relay;

    static final String MAILBOX_SIGNAL = "rtc.mailbox";

    private final Object[] stripes = new Object[64];
    private static final int DRAIN_WORKERS = 2;
    private final ConcurrentLinkedQueue<Connection> toDrain = new ConcurrentLinkedQueue<>();
    private final AtomicInteger drainWorkers = new AtomicInteger();

    public RtcDirectMessages() {
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Object();
        }
    }

    /**
     * Delivers or stores one message. Runs on the sender's reader thread, storing included, so that one sender's
     * messages are stored in the order they were sent (and a sender cannot outrun the database).
     */
    Outcome send(String from, String target, String messageId, JsonValue payload, Long ttlSeconds) {
        Instant sentAt = Instant.now();
        List<String> reached = live(target, RtcFrames.directMessage(from, payload, sentAt.getEpochSecond(), messageId));
        if (!reached.isEmpty()) {
            return new Delivered(reached);
        }
        try {
            mailbox.store(new PendingDirectMessage(target, from, messageId, payload.toString(), sentAt,
                    mailbox.expiry(ttlSeconds, sentAt)));
        } catch (MailboxFull e) {
            return new Refused(RtcCodec.UNAVAILABLE, e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "rtc.dm.store.failed target=" + target, e);
            return new Refused(RtcCodec.INTERNAL_ERROR, "The message could not be stored");
        }
        // the recipient may have connected while we stored (here or elsewhere): its own claim may have missed our row
        drainAnyConnectionOf(target);
        relay.signal(MAILBOX_SIGNAL, target);
        return new Stored();
    }

    /** Another instance stored a message for a user who may be connected here. */
    void onSignal(@Observes ClusterSignal signal) {
        if (MAILBOX_SIGNAL.equals(signal.name()) && signal.subject() != null) {
            drainAnyConnectionOf(signal.subject());
        }
    }

    private void drainAnyConnectionOf(String user) {
        for (Connection c : hub.connectionsOf(user)) {
            if (RtcEndpoint.DIALECT.equals(c.dialect()) && c.isOpen()) {
                drain(c);
                break;
            }
        }
    }

    /**
     * The recipient's rtc connections on every instance that reached the frame. Clustered, this waits (bounded by
     * {@code cluster.reply-timeout-ms}) on the sender's thread, which keeps one sender's messages in order; when the
     * wait fails the message is stored as well, so an answer that comes too late may make it arrive twice, never
     * zero times.
     */
    private List<String> live(String target, Frame frame) {
        try {
            return relay.toUser(RtcEndpoint.DIALECT, target, frame)
                    .get(relay.replyTimeoutMillis() * 2 + 1000, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.log(Level.WARNING, "rtc.dm.relay.failed target=" + target, e);
            return List.of();
        }
    }

    /**
     * Hands the user's stored messages, oldest first, to this connection's outbound queue, in the background. Drains
     * wait in one queue worked by at most {@value #DRAIN_WORKERS} tasks, so a storm of connections (10,000 on a
     * restart) neither floods the server's shared executor, which also runs timers and CDI events, nor opens as many
     * database transactions at once.
     */
    void drain(Connection connection) {
        toDrain.add(connection);
        startDrainWorker();
    }

    private void startDrainWorker() {
        int n;
        while ((n = drainWorkers.get()) < DRAIN_WORKERS) {
            if (drainWorkers.compareAndSet(n, n + 1)) {
                try {
                    sockets.background(this::drainQueued);
                } catch (RuntimeException e) { // rejected: the next connection's drain starts a worker again
                    drainWorkers.decrementAndGet();
                    LOG.log(Level.WARNING, "rtc.dm.drain.not-started waiting=" + toDrain.size(), e);
                }
                return;
            }
        }
    }

    private void drainQueued() {
        try {
            Connection connection;
            while ((connection = toDrain.poll()) != null) {
                try {
                    drainNow(connection);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "rtc.dm.drain.failed user=" + connection.user() + " connection=" + connection.id(), e);
                }
            }
        } finally {
            drainWorkers.decrementAndGet();
            if (!toDrain.isEmpty()) {
                startDrainWorker();
            }
        }
    }

    private void drainNow(Connection connection) {
        String user = connection.user();
        synchronized (stripes[Math.floorMod(user.hashCode(), stripes.length)]) {
            int delivered = 0;
            while (connection.isOpen()) {
                List<PendingDirectMessage> batch = mailbox.claim(user, BATCH);
                for (int i = 0; i < batch.size(); i++) {
                    if (!hub.send(connection, RtcFrames.queuedDirectMessage(batch.get(i)))) {
                        // closed before we could queue them: back in the mailbox for the next connection
                        mailbox.putBack(batch.subList(i, batch.size()));
                        LOG.info("rtc.dm.drain.interrupted user=" + user + " returned=" + (batch.size() - i));
                        return;
                    }
                    delivered++;
                }
                if (batch.size() < BATCH) {
                    break;
                }
            }
            if (delivered > 0) {
                int n = delivered;
                LOG.fine(() -> "rtc.dm.drained user=" + user + " connection=" + connection.id() + " count=" + n);
            }
        }
    }
}
