package dev.switchboard.dialect.workspace;

import dev.switchboard.chat.entity.ChatMessagePosted;
import dev.switchboard.cluster.control.Relay;
import dev.switchboard.cluster.entity.ClusterSignal;
import dev.switchboard.hub.boundary.Hub;
import dev.switchboard.hub.control.RateLimit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/** Turns chat events into workspace frames: encoded once, queued for every connection of every instance. */
@ApplicationScoped
public class WorkspacePushes {

    static final String POSTED_SIGNAL = "workspace.posted";

    @Inject
    Relay relay;

    @Inject
    Hub hub;

    /** Synchronous on the poster's thread: queueing never blocks, and one sender's messages stay in order. */
    void onPosted(@Observes ChatMessagePosted posted) {
        relay.broadcast(WorkspaceEndpoint.DIALECT, WorkspaceFrames.messageNew(posted), false);
    }

    /** A user connected here too posted on another instance: it costs a token of the user's bucket here as well. */
    void onSignal(@Observes ClusterSignal signal) {
        if (POSTED_SIGNAL.equals(signal.name()) && signal.subject() != null) {
            RateLimit limit = hub.existingUserRateLimit(WorkspaceEndpoint.DIALECT, signal.subject());
            if (limit != null) {
                limit.tryAcquire(System.nanoTime());
            }
        }
    }
}
