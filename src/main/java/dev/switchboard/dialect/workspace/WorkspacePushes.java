package dev.switchboard.dialect.workspace;

import dev.switchboard.chat.entity.ChatMessagePosted;
import dev.switchboard.cluster.control.Relay;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/** Turns chat events into workspace frames: encoded once, queued for every connection of every instance. */
@ApplicationScoped
public class WorkspacePushes {

    @Inject
    Relay relay;

    /** Synchronous on the poster's thread: queueing never blocks, and one sender's messages stay in order. */
    void onPosted(@Observes ChatMessagePosted posted) {
        relay.broadcast(WorkspaceEndpoint.DIALECT, WorkspaceFrames.messageNew(posted), false);
    }
}
