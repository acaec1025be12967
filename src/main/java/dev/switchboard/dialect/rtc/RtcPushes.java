package dev.switchboard.dialect.rtc;

import dev.switchboard.cluster.control.Relay;
import dev.switchboard.hub.boundary.Hub;
import dev.switchboard.hub.control.Connection;
import dev.switchboard.hub.entity.Frame;
import dev.switchboard.messaging.entity.NotificationSent;
import dev.switchboard.hub.entity.PresenceChanged;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Turns messaging events into rtc frames: encoded once, fanned out by the hub. Synchronous observers: they only
 * queue frames (never block), and the notification sender reads the recipient count when the event returns.
 */
@ApplicationScoped
public class RtcPushes {

    /** Presence of user {@code u} is published on {@code presence.u}: subscribe to {@code presence.#} for everyone's. */
    static final String PRESENCE_TOPIC = "presence";

    @Inject
    Hub hub;

    @Inject
    Relay relay;

    static String presenceTopic(String user) {
        return PRESENCE_TOPIC + "." + user;
    }

    /** Presence is worked out on every instance from the cluster's view (ClusterPresence): published here only. */
    void onPresence(@Observes PresenceChanged changed) {
        hub.publish(RtcEndpoint.DIALECT, presenceTopic(changed.user()), RtcFrames.presence(changed));
    }

    void onNotification(@Observes NotificationSent sent) {
        Frame frame = RtcFrames.notification(sent);
        java.util.concurrent.CompletableFuture<Integer> reached;
        if (sent.user() != null) {
            reached = relay.toUser(RtcEndpoint.DIALECT, sent.user(), frame).thenApply(java.util.List::size);
        } else if (sent.topic() != null) {
            reached = relay.publish(RtcEndpoint.DIALECT, sent.topic(), frame, true);
        } else {
            reached = relay.broadcast(RtcEndpoint.DIALECT, frame, true);
        }
        // clustered, the count waits for the other instances (bounded by cluster.reply-timeout-ms)
        sent.recipients().addAndGet(reached.join());
    }
}
