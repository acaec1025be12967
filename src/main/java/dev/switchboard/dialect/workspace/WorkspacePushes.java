package dev.switchboard.dialect.workspace;

import dev.switchboard.chat.entity.ChatMessagePosted;
import dev.switchboard.hub.boundary.Hub;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/** Turns chat events into workspace frames: encoded once, queued for every connection by the hub. */
@ApplicationScoped
public class WorkspacePushes {

    @Inject
    Hub hub;

    /** Synchronous on the poster's thread: queueing never blocks, and one sender's messages stay in order. */
    void onPosted(@Observes ChatMessagePosted posted) {
        hub.broadcast(WorkspaceEndpoint.DIALECT, WorkspaceFrames.messageNew(posted));
    }
}
