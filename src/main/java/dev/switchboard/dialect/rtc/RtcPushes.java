package dev.switchboard.dialect.rtc;

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

    static String presenceTopic(String user) {
        return PRESENCE_TOPIC + "." + user;
    }

    void onPresence(@Observes PresenceChanged changed) {
        hub.publish(RtcEndpoint.DIALECT, presenceTopic(changed.user()), RtcFrames.presence(changed));
    }

    void onNotification(@Observes NotificationSent sent) {
        Frame frame = RtcFrames.notification(sent);
        int reached;
        if (sent.user() != null) {
            reached = 0;
            for (Connection c : hub.connectionsOf(sent.user())) {
                if (RtcEndpoint.DIALECT.equals(c.dialect()) && hub.send(c, frame)) {
                    reached++;
                }
            }
        } else if (sent.topic() != null) {
            reached = hub.publish(RtcEndpoint.DIALECT, sent.topic(), frame);
        } else {
            reached = hub.broadcast(RtcEndpoint.DIALECT, frame);
        }
        sent.recipients().addAndGet(reached);
    }
}
