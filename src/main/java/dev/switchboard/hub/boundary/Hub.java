package dev.switchboard.hub.boundary;

import dev.switchboard.hub.control.Connection;
import dev.switchboard.hub.control.Connections;
import dev.switchboard.hub.control.HubCounters;
import dev.switchboard.hub.control.Presence;
import dev.switchboard.hub.control.RateLimit;
import dev.switchboard.hub.control.SharedRateLimits;
import dev.switchboard.hub.control.Subscriptions;
import dev.switchboard.hub.entity.Clearance;
import dev.switchboard.hub.entity.Disconnect;
import dev.switchboard.hub.entity.Frame;
import dev.switchboard.hub.entity.LocalPresenceChanged;
import dev.switchboard.hub.entity.Transport;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The protocol-independent core every dialect talks to. It moves frames that are already encoded;
 * it never parses, encodes or blocks on a client.
 */
@ApplicationScoped
public class Hub {

    private static final Logger LOG = Logger.getLogger(Hub.class.getName());

    private Connections connections;
    private int maxSubscriptionsPerConnection;
    private final ConcurrentHashMap<String, Subscriptions> subscriptions = new ConcurrentHashMap<>();
    private final SharedRateLimits userLimits = new SharedRateLimits();
    private Presence presence;

    protected Hub() {
        // CDI proxy
    }

    @Inject
    Hub(@ConfigProperty(name = "hub.outbound-queue.max", defaultValue = "1024") int outboundQueueMax,
        @ConfigProperty(name = "hub.subscriptions.max-per-connection", defaultValue = "100") int maxSubscriptionsPerConnection,
        Event<LocalPresenceChanged> presenceChanged) {
        this.connections = new Connections(outboundQueueMax);
        this.maxSubscriptionsPerConnection = maxSubscriptionsPerConnection;
        this.presence = new Presence(presenceChanged::fire);
    }

    private Hub(int outboundQueueMax, Presence presence) {
        this.connections = new Connections(outboundQueueMax);
        this.maxSubscriptionsPerConnection = 100;
        this.presence = presence;
    }

    /** For plain unit tests: presence changes go nowhere. */
    public static Hub standalone(int outboundQueueMax) {
        return new Hub(outboundQueueMax, new Presence(changed -> { }));
    }

    /** Who is online (per user, on this instance); its changes are fired as {@link LocalPresenceChanged} CDI events. */
    public Presence presence() {
        return presence;
    }

    /**
     * A connection whose clearance follows from the user alone: anonymous without one, else authenticated (never
     * privileged). For callers whose user, when set, is a verified token's; the dialects pass their own.
     */
    public Connection open(String dialect, String user, Transport transport) {
        return open(dialect, user, user == null ? Clearance.ANONYMOUS : Clearance.AUTHENTICATED, transport);
    }

    public Connection open(String dialect, String user, Clearance clearance, Transport transport) {
        return connections.open(dialect, user, clearance, transport);
    }

    /** The socket is gone (closed by either side); forget it. Idempotent. */
    public void closed(Connection connection) {
        connections.forget(connection);
        Subscriptions topics = subscriptions.get(connection.dialect());
        if (topics != null) {
            topics.unsubscribeAll(connection);
        }
    }

    /** Closes the connection from the server side with a reason. */
    public void close(Connection connection, Disconnect reason) {
        connections.close(connection, reason);
        closed(connection);
    }

    /**
     * The rate limit of a user of a dialect, shared by all the user's connections; every call must be matched by
     * {@link #releaseUserRateLimit} when that connection closes.
     */
    public RateLimit userRateLimit(String dialect, String user, double perSecond, double burst) {
        return userLimits.acquire(dialect + '\n' + user, perSecond, burst);
    }

    /** The shared rate limit of a user of a dialect while one of the user's connections holds it, else null. */
    public RateLimit existingUserRateLimit(String dialect, String user) {
        return userLimits.existing(dialect + '\n' + user);
    }

    public void releaseUserRateLimit(String dialect, String user) {
        userLimits.release(dialect + '\n' + user);
    }

    /** Sends a last frame, then closes once everything queued before it has been written. */
    public void finish(Connection connection, Frame last, Disconnect reason) {
        connections.send(connection, last);
        connections.closeAfterFlush(connection, reason);
        closed(connection);
    }

    /** Subscribes a connection to a topic pattern of its dialect (see {@link Subscriptions} for the wildcards). */
    public Subscriptions.Outcome subscribe(Connection connection, String pattern) {
        return topics(connection.dialect()).subscribe(connection, pattern);
    }

    /** @return whether the connection held that pattern */
    public boolean unsubscribe(Connection connection, String pattern) {
        return topics(connection.dialect()).unsubscribe(connection, pattern);
    }

    public Collection<String> subscriptionsOf(Connection connection) {
        return topics(connection.dialect()).of(connection);
    }

    /** How many connections of a dialect hold exactly this pattern. */
    public int holders(String dialect, String pattern) {
        return topics(dialect).holdersOf(pattern);
    }

    /**
     * Queues one already-encoded frame for every connection of the dialect subscribed to a pattern matching
     * {@code topic}, once each. @return how many connections accepted it
     */
    public int publish(String dialect, String topic, Frame frame) {
        int[] accepted = {0};
        topics(dialect).forEachMatch(topic, c -> {
            if (connections.send(c, frame)) {
                accepted[0]++;
            }
        });
        return accepted[0];
    }

    private Subscriptions topics(String dialect) {
        return subscriptions.computeIfAbsent(dialect, d -> new Subscriptions(maxSubscriptionsPerConnection));
    }

    /**
     * Anything arrived from the client: counts it and proves liveness. A message of {@code bytes} arrived (text: its length in characters, never more than its UTF-8 bytes); one over
     * the transport's {@link dev.switchboard.hub.entity.Transport#maxMessageBytes} closes the connection with 1009.
     */
    public void received(Connection connection, int bytes) {
        connections.received(connection, bytes);
    }

    /** A pong arrived. */
    public void pong(Connection connection) {
        connections.received(connection, 0);
    }

    /** Queues one frame for one connection; an overflowing connection is closed. */
    public boolean send(Connection connection, Frame frame) {
        return connections.send(connection, frame);
    }

    /** Queues the same frame for every open connection of a dialect. @return how many accepted it */
    public int broadcast(String dialect, Frame frame) {
        int accepted = 0;
        for (Connection c : connections.of(dialect)) {
            if (connections.send(c, frame)) {
                accepted++;
            }
        }
        return accepted;
    }

    /**
     * Queues for every open connection of a dialect the frames meant for its clearance, in order. {@code framesFor}
     * is called at most once per clearance, and only for a clearance some connection has, so each variant is encoded
     * once per broadcast. @return how many connections accepted all of theirs
     */
    public int broadcast(String dialect, Function<Clearance, List<Frame>> framesFor) {
        @SuppressWarnings("unchecked")
        List<Frame>[] made = new List[Clearance.values().length];
        int accepted = 0;
        for (Connection c : connections.of(dialect)) {
            int level = c.clearance().ordinal();
            List<Frame> frames = made[level];
            if (frames == null) {
                frames = framesFor.apply(c.clearance());
                made[level] = frames;
            }
            boolean all = true;
            for (Frame f : frames) {
                if (!connections.send(c, f)) {
                    all = false; // closed as a slow consumer: the rest would go nowhere
                    break;
                }
            }
            if (all) {
                accepted++;
            }
        }
        return accepted;
    }

    public Collection<Connection> connections(String dialect) {
        return connections.of(dialect);
    }

    /** Every open connection of a user, over all dialects. */
    public Collection<Connection> connectionsOf(String user) {
        return connections.ofUser(user);
    }

    /** Every open connection over all dialects (the admin console's list). */
    public java.util.List<Connection> allConnections() {
        java.util.List<Connection> all = new java.util.ArrayList<>();
        for (String dialect : connections.countsByDialect().keySet()) {
            all.addAll(connections.of(dialect));
        }
        return all;
    }

    public int connectionCount() {
        return connections.count();
    }

    public int connectionCount(String dialect) {
        return connections.of(dialect).size();
    }

    /** Open connections per dialect (every dialect that has had one since start-up). */
    public java.util.Map<String, Integer> connectionCounts() {
        return connections.countsByDialect();
    }

    /** Frames waiting in all outbound queues. */
    public long queuedFrames() {
        return connections.queuedFrames();
    }

    public HubCounters counters() {
        return connections.counters();
    }

    /** Pings connections that have been quiet for {@code pingInterval}; closes those silent past {@code pongTimeout}. */
    public void keepAlive(Duration pingInterval, Duration pongTimeout) {
        int[] result = connections.keepAlive(System.nanoTime(), pingInterval.toNanos(), pongTimeout.toNanos());
        if (result[1] > 0) {
            LOG.fine(() -> "hub.keepalive closed=" + result[1] + " pinged=" + result[0]);
        }
    }
}
