package dev.switchboard.hub.control;

import dev.switchboard.hub.entity.Clearance;
import dev.switchboard.hub.entity.Disconnect;
import dev.switchboard.hub.entity.Frame;
import dev.switchboard.hub.entity.Transport;

import java.util.Collection;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The registry of open connections by dialect, and what happens to each one's outbound queue. */
public final class Connections {

    private static final Logger LOG = Logger.getLogger(Connections.class.getName());

    private final int outboundQueueMax;
    private final ConcurrentHashMap<String, Set<Connection>> byDialect = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Set<Connection>> byUser = new ConcurrentHashMap<>();
    private final HubCounters counters = new HubCounters();

    public Connections(int outboundQueueMax) {
        this.outboundQueueMax = outboundQueueMax;
    }

    public Connection open(String dialect, String user, Clearance clearance, Transport transport) {
        Connection connection = new Connection(UUID.randomUUID().toString(), dialect, user, clearance, transport, System.nanoTime());
        connection.attach(new Outbound(transport, outboundQueueMax, new Outbound.Listener() {
            @Override
            public void written(Frame frame) {
                counters.framesOut.increment();
                connection.countOut();
                counters.bytesOut.add(frame.bytes());
            }

            @Override
            public void coalesced(int frames) {
                counters.framesCoalesced.add(frames);
            }

            @Override
            public void failed(Throwable failure) {
                LOG.log(Level.FINE, "hub.write.failed connection=" + connection.id(), failure);
                if (connection.isOpen()) {
                    counters.writeFailures.increment();
                    close(connection, Disconnect.writeFailed());
                }
            }
        }));
        byDialect.computeIfAbsent(dialect, d -> ConcurrentHashMap.newKeySet()).add(connection);
        if (user != null) {
            byUser.compute(user, (u, set) -> {
                Set<Connection> s = set == null ? ConcurrentHashMap.newKeySet() : set;
                s.add(connection);
                return s;
            });
        }
        counters.opened.increment();
        return connection;
    }

    public void forget(Connection connection) {
        if (connection.markClosed()) {
            counters.closed.increment();
        }
        unregister(connection);
    }

    /** Closes after what is already queued has been written (a last error frame, say). */
    public void closeAfterFlush(Connection connection, Disconnect reason) {
        if (connection.markClosedAfterDrain(() -> connection.transport().close(reason))) {
            counters.closed.increment();
        }
        unregister(connection);
    }

    private void unregister(Connection connection) {
        Set<Connection> set = byDialect.get(connection.dialect());
        if (set != null) {
            set.remove(connection);
        }
        connection.gone();
        if (connection.user() != null) {
            // drop the user's entry with its last connection, atomically with respect to open()
            byUser.computeIfPresent(connection.user(), (u, s) -> {
                s.remove(connection);
                return s.isEmpty() ? null : s;
            });
        }
    }

    /** Every open connection of a user, over all dialects. */
    public Collection<Connection> ofUser(String user) {
        Set<Connection> set = byUser.get(user);
        return set == null ? Set.of() : set;
    }

    public void close(Connection connection, Disconnect reason) {
        forget(connection);
        connection.transport().close(reason);
    }

    public boolean send(Connection connection, Frame frame) {
        if (connection.offer(frame)) {
            return true;
        }
        if (connection.isOpen()) {
            counters.slowConsumerDrops.increment();
            LOG.info(() -> "hub.slow-consumer closed connection=" + connection.id() + " dialect=" + connection.dialect());
            close(connection, Disconnect.slowConsumer());
        }
        return false;
    }

    public void received(Connection connection, int bytes) {
        int max = connection.transport().maxMessageBytes();
        if (max > 0 && bytes > max && connection.isOpen()) {
            LOG.info(() -> "hub.too-big closed connection=" + connection.id() + " dialect=" + connection.dialect() + " size=" + bytes);
            close(connection, Disconnect.tooBig());
            return;
        }
        long now = System.nanoTime();
        connection.seen(now);
        if (bytes > 0) {
            connection.used(now);
            counters.framesIn.increment();
            connection.countIn();
            counters.bytesIn.add(bytes);
        }
    }

    public Collection<Connection> of(String dialect) {
        Set<Connection> set = byDialect.get(dialect);
        return set == null ? Set.of() : set;
    }

    /** Open connections per dialect, for every dialect that has had one. */
    public java.util.Map<String, Integer> countsByDialect() {
        java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
        byDialect.forEach((d, set) -> counts.put(d, set.size()));
        return counts;
    }

    /** Frames waiting in every connection's outbound queue. */
    public long queuedFrames() {
        long n = 0;
        for (Set<Connection> set : byDialect.values()) {
            for (Connection c : set) {
                n += c.queued();
            }
        }
        return n;
    }

    public int count() {
        int n = 0;
        for (Set<Connection> set : byDialect.values()) {
            n += set.size();
        }
        return n;
    }

    public HubCounters counters() {
        return counters;
    }

    /** @return {pinged, closed} */
    public int[] keepAlive(long now, long pingIntervalNanos, long pongTimeoutNanos) {
        int pinged = 0;
        int closed = 0;
        for (Set<Connection> set : byDialect.values()) {
            for (Connection c : set) {
                c.transport().checkWrite(now);
                if (now - c.lastSeenNanos() > pongTimeoutNanos) {
                    counters.pongTimeouts.increment();
                    close(c, Disconnect.pongTimeout());
                    closed++;
                } else if (c.idleAt(now)) {
                    counters.idleTimeouts.increment();
                    close(c, Disconnect.idle());
                    closed++;
                } else if (now - c.lastPingNanos() >= pingIntervalNanos) {
                    c.pinged(now);
                    c.transport().ping();
                    pinged++;
                }
            }
        }
        return new int[] {pinged, closed};
    }
}
