package dev.switchboard.cluster.entity;

import java.time.Duration;
import java.util.Map;

/**
 * The port every cluster engine implements (in-memory, Redis; NATS or Hazelcast would be one more class): a
 * message bus between the instances and a register of live members whose entries expire unless refreshed.
 * Messages are text the caller has encoded once; an engine never looks inside them. Every method returns at once
 * and never throws for an unreachable backplane: a message that cannot go out is dropped (and counted), so the
 * instance keeps serving its own clients; {@link Receiver#reachable} tells when the backplane comes and goes.
 */
public interface ClusterEngine {

    /** What the engine hands back: messages from the other members, in the order each of them published. */
    interface Receiver {
        void received(String message);

        /** The backplane became reachable ({@code true}) or unreachable. */
        void reachable(boolean reachable);
    }

    /** A short name for logs and health ({@code memory}, {@code redis}). */
    String name();

    /**
     * Starts receiving what is published to all members and what is sent to {@code memberId}; keeps trying in the
     * background when the backplane is not there yet.
     */
    void start(String memberId, Receiver receiver);

    /** To every member (an engine may hand it back to the sender too; the caller recognises its own). */
    void publish(String message);

    /** To one member. */
    void send(String memberId, String message);

    /** Registers or refreshes this member's record, which the backplane forgets after {@code ttl} without a refresh. */
    void register(String memberId, String record, Duration ttl);

    /** Removes this member's record at once (a clean stop). */
    void deregister(String memberId);

    /** The records of the members registered now (member id → record); empty when the backplane is unreachable. */
    Map<String, String> members();

    boolean reachable();

    /** Messages that could not go out since start (the backplane was unreachable). */
    long dropped();

    void stop();
}
