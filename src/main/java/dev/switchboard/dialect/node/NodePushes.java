package dev.switchboard.dialect.node;

import dev.switchboard.hub.boundary.Hub;
import dev.switchboard.node.entity.NodeStatusSampled;
import dev.switchboard.service.entity.ServicesPublished;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;

/** Turns domain events into node frames: encoded once, fanned out by the hub. */
@ApplicationScoped
public class NodePushes {

    @Inject
    Hub hub;

    void onServices(@ObservesAsync ServicesPublished published) {
        hub.broadcast(NodeEndpoint.DIALECT, NodeFrames.servicesUpdated(published.services()));
    }

    void onNodeStatus(@ObservesAsync NodeStatusSampled status) {
        hub.broadcast(NodeEndpoint.DIALECT, NodeFrames.nodeStatus(status));
    }
}
