package dev.switchboard.hub.boundary;

import dev.switchboard.hub.control.Connection;
import dev.switchboard.hub.control.Connections;
import dev.switchboard.hub.control.HubCounters;
import dev.switchboard.hub.entity.Disconnect;
import dev.switchboard.hub.entity.Frame;
import dev.switchboard.hub.entity.Transport;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.Collection;
import java.util.logging.Logger;

/**
 * The protocol-independent core every dialect talks to. It moves frames that are already encoded;
 * it never parses, encodes or blocks on a client.
 */
@ApplicationScoped
public class Hub {

    private static final Logger LOG = Logger.getLogger(Hub.class.getName());

    private Connections connections;

    protected Hub() {
        // CDI proxy
    }

    @Inject
    Hub(@ConfigProperty(name = "hub.outbound-queue.max", defaultValue = "1024") int outboundQueueMax) {
        this.connections = new Connections(outboundQueueMax);
    }

    /** For plain unit tests. */
    public static Hub standalone(int outboundQueueMax) {
        return new Hub(outboundQueueMax);
    }

    public Connection open(String dialect, String user, Transport transport) {
        return connections.open(dialect, user, transport);
    }

    /** The socket is gone (closed by either side); forget it. Idempotent. */
    public void closed(Connection connection) {
        connections.forget(connection);
    }

    /** Closes the connection from the server side with a reason. */
    public void close(Connection connection, Disconnect reason) {
        connections.close(connection, reason);
    }

    /** Anything arrived from the client: counts it and proves liveness. */
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

    public Collection<Connection> connections(String dialect) {
        return connections.of(dialect);
    }

    /** Every open connection of a user, over all dialects. */
    public Collection<Connection> connectionsOf(String user) {
        return connections.ofUser(user);
    }

    public int connectionCount() {
        return connections.count();
    }

    public int connectionCount(String dialect) {
        return connections.of(dialect).size();
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
