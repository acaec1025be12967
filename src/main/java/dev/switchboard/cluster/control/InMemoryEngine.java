package dev.switchboard.cluster.control;

import dev.switchboard.cluster.entity.ClusterEngine;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The default engine: the members of one JVM on one shared bus. A server has exactly one, so by default it is alone,
 * and nothing goes anywhere: publishing costs a map lookup. Unit tests put several members on one bus.
 */
public final class InMemoryEngine implements ClusterEngine {

    /** One bus per JVM by default; a test makes its own. */
    public static final class Bus {
        final Map<String, InMemoryEngine> members = new ConcurrentHashMap<>();
        final Map<String, String> records = new ConcurrentHashMap<>();
    }

    private static final Bus JVM = new Bus();

    private final Bus bus;
    private volatile String memberId;
    private volatile Receiver receiver;
    private volatile boolean reachable = true;

    public InMemoryEngine() {
        this(JVM);
    }

    public InMemoryEngine(Bus bus) {
        this.bus = bus;
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public void start(String memberId, Receiver receiver) {
        this.memberId = memberId;
        this.receiver = receiver;
        bus.members.put(memberId, this);
        receiver.reachable(true);
    }

    @Override
    public void publish(String message) {
        if (!reachable) {
            return;
        }
        for (InMemoryEngine m : bus.members.values()) {
            if (m != this && m.reachable) {
                m.receiver.received(message);
            }
        }
    }

    @Override
    public void send(String memberId, String message) {
        InMemoryEngine m = bus.members.get(memberId);
        if (reachable && m != null && m.reachable) {
            m.receiver.received(message);
        }
    }

    @Override
    public void register(String memberId, String record, Duration ttl) {
        if (reachable) {
            bus.records.put(memberId, record);
        }
    }

    @Override
    public void deregister(String memberId) {
        bus.records.remove(memberId);
    }

    @Override
    public Map<String, String> members() {
        return reachable ? Map.copyOf(bus.records) : Map.of();
    }

    @Override
    public boolean reachable() {
        return reachable;
    }

    @Override
    public long dropped() {
        return 0;
    }

    /** For tests: this member loses (false) or regains the bus. */
    public void reachable(boolean reachable) {
        this.reachable = reachable;
        Receiver r = receiver;
        if (r != null) {
            r.reachable(reachable);
        }
    }

    /** For tests: the member vanishes as after kill -9 (its record stays until whoever reads it expires it). */
    public void crash() {
        bus.members.remove(memberId, this);
    }

    @Override
    public void stop() {
        if (memberId != null) {
            bus.members.remove(memberId, this);
        }
    }
}
