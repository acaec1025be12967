package dev.switchboard.hub.control;

import dev.switchboard.hub.entity.Clearance;
import dev.switchboard.hub.entity.Frame;
import dev.switchboard.hub.entity.Transport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client connection as the hub sees it: who, over which dialect, its outbound queue and liveness clock.
 * Created by {@code Hub.open}; the dialect keeps a reference for the life of the socket.
 */
public final class Connection {

    private static final Logger LOG = Logger.getLogger(Connection.class.getName());

    private final String id;
    private final String dialect;
    private final String user;
    private final Transport transport;
    private final long openedAtMillis;
    private Outbound outbound;
    private volatile long lastSeenNanos;
    private volatile long lastPingNanos;
    private volatile long lastMessageNanos;
    private volatile long idleLimitNanos;
    private volatile boolean open = true;
    /** What runs once when the hub forgets the connection; guarded by {@code this}; null once run. */
    private List<Runnable> whenGone = new ArrayList<>(2);
    private volatile Clearance clearance;
    /**
     * Counted in the connection itself (no counter objects: an idle connection should cost little): frames in by its
     * reader, frames out by the write completions, which its {@link Outbound} never lets overlap.
     */
    private volatile long framesIn;
    private volatile long framesOut;
    private static final AtomicLongFieldUpdater<Connection> FRAMES_IN = AtomicLongFieldUpdater.newUpdater(Connection.class, "framesIn");
    private static final AtomicLongFieldUpdater<Connection> FRAMES_OUT = AtomicLongFieldUpdater.newUpdater(Connection.class, "framesOut");

    Connection(String id, String dialect, String user, Clearance clearance, Transport transport, long nowNanos) {
        this.id = id;
        this.clearance = clearance;
        this.dialect = dialect;
        this.user = user;
        this.transport = transport;
        this.openedAtMillis = System.currentTimeMillis();
        this.lastSeenNanos = nowNanos;
        this.lastPingNanos = nowNanos;
        this.lastMessageNanos = nowNanos;
    }

    void attach(Outbound outbound) {
        this.outbound = outbound;
    }

    public String id() {
        return id;
    }

    public String dialect() {
        return dialect;
    }

    /** The authenticated user name, or {@code null} for an anonymous connection. */
    public String user() {
        return user;
    }

    /** What this connection may be told (see {@link Clearance}); set at open, raised by a later authentication. */
    public Clearance clearance() {
        return clearance;
    }

    /** A dialect that authenticates after the handshake (vault's {@code auth} message) changes it here. */
    public void clearance(Clearance clearance) {
        this.clearance = clearance;
    }

    public long openedAtMillis() {
        return openedAtMillis;
    }

    public boolean isOpen() {
        return open;
    }

    Transport transport() {
        return transport;
    }

    /** The client's network address as the container saw it, or {@code null} when it does not tell. */
    public String clientAddress() {
        return transport.clientAddress();
    }

    /** Messages received from the client. */
    public long framesIn() {
        return framesIn;
    }

    /** Frames written to the client. */
    public long framesOut() {
        return framesOut;
    }

    void countIn() {
        FRAMES_IN.incrementAndGet(this);
    }

    void countOut() {
        FRAMES_OUT.incrementAndGet(this);
    }

    /** Frames in this connection's outbound queue now. */
    public int queued() {
        Outbound o = outbound;
        return o == null ? 0 : o.queued();
    }

    boolean offer(Frame frame) {
        return outbound.offer(frame);
    }

    /** Marks the connection closed; @return whether it was open until now. */
    boolean markClosed() {
        synchronized (this) {
            if (!open) {
                return false;
            }
            open = false;
        }
        outbound.close();
        return true;
    }

    /** Marks the connection closed but lets its queue drain first, then runs {@code then}; @return whether it was open. */
    boolean markClosedAfterDrain(Runnable then) {
        synchronized (this) {
            if (!open) {
                return false;
            }
            open = false;
        }
        outbound.drainThen(then);
        return true;
    }

    /**
     * Runs {@code task} once, when the hub forgets this connection (whoever closed it, for whatever reason), or at
     * once when it already has. Dialects hang what a connection holds outside the hub on it (a connection slot, a
     * token's expiry deadline), so that no close path can leak it.
     */
    public void whenGone(Runnable task) {
        synchronized (this) {
            if (whenGone != null) {
                whenGone.add(task);
                return;
            }
        }
        runQuietly(task);
    }

    /** The hub forgot the connection: runs the {@link #whenGone} tasks, once. */
    void gone() {
        List<Runnable> tasks;
        synchronized (this) {
            tasks = whenGone;
            whenGone = null;
        }
        if (tasks != null) {
            tasks.forEach(this::runQuietly);
        }
    }

    private void runQuietly(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "hub.connection.gone-task-failed connection=" + id, e);
        }
    }

    void seen(long nowNanos) {
        lastSeenNanos = nowNanos;
    }

    /** A message (not a pong) arrived: the connection is in use. */
    void used(long nowNanos) {
        lastMessageNanos = nowNanos;
    }

    /** Closes the connection when no message (pongs do not count) arrived for this long; 0 = never. */
    public void closeWhenIdleFor(java.time.Duration idle) {
        idleLimitNanos = idle.toNanos();
    }

    boolean idleAt(long nowNanos) {
        long limit = idleLimitNanos;
        return limit > 0 && nowNanos - lastMessageNanos > limit;
    }

    long lastSeenNanos() {
        return lastSeenNanos;
    }

    long lastPingNanos() {
        return lastPingNanos;
    }

    void pinged(long nowNanos) {
        lastPingNanos = nowNanos;
    }
}
