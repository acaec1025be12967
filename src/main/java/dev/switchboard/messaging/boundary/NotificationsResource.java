package dev.switchboard.messaging.boundary;

import dev.switchboard.common.JsonText;
import dev.switchboard.auth.boundary.RequiresRole;
import dev.switchboard.messaging.entity.NotificationSent;
import dev.switchboard.common.ApiErrors;

import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * {@code POST /api/notifications}: an administrator's notification, to every connection, to one user's connections
 * ({@code user}) or to a topic's subscribers ({@code topic}). Answers 202 with how many connections it was queued for.
 * Not stored: whoever is not connected does not get it.
 */
@Path("notifications")
@RequestScoped
@RequiresRole("admin")
public class NotificationsResource {

    private static final Logger LOG = Logger.getLogger(NotificationsResource.class.getName());
    private static final Set<String> LEVELS = Set.of("info", "success", "warning", "error");
    private static final int MAX_TOPIC_LENGTH = 256;
    /** The topics a Broadcast may be published on (wildcards are for subscribing). */
    private static final java.util.regex.Pattern CONCRETE_TOPIC = java.util.regex.Pattern.compile("[^.*#]+(\\.[^.*#]+)*");

    @Inject
    Event<NotificationSent> sent;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response send(JsonValue value) {
        if (!(value instanceof JsonObject body)) {
            throw ApiErrors.invalid(Map.of("body", "a JSON object is required"));
        }
        Map<String, String> faults = new LinkedHashMap<>();
        String level = text(body, "level", false, 16, faults);
        if (level == null && !faults.containsKey("level")) {
            level = "info";
        }
        if (level != null && !LEVELS.contains(level)) {
            faults.put("level", "must be one of info, success, warning, error");
        }
        String title = text(body, "title", false, 256, faults);
        String message = text(body, "message", true, 4096, faults);
        String user = text(body, "user", false, 256, faults);
        String topic = text(body, "topic", false, MAX_TOPIC_LENGTH, faults);
        if (topic != null && !CONCRETE_TOPIC.matcher(topic).matches()) {
            faults.put("topic", "must be a concrete topic: dot-separated non-empty segments, without wildcards");
        }
        if (user != null && topic != null) {
            faults.put("topic", "give a user or a topic, not both");
        }
        JsonValue actions = body.getOrDefault("actions", JsonValue.NULL);
        if (actions == JsonValue.NULL) {
            actions = JsonValue.EMPTY_JSON_ARRAY;
        } else if (!validActions(actions)) {
            faults.put("actions", "must be an array of {label, url} objects with string values");
        }
        if (!faults.isEmpty()) {
            throw ApiErrors.invalid(faults);
        }
        AtomicInteger recipients = new AtomicInteger();
        sent.fire(new NotificationSent(level, title == null ? "" : title, message, actions.toString(), user, topic, recipients));
        String target = user != null ? "user:" + user : topic != null ? "topic:" + topic : "all";
        LOG.info(() -> "messaging.notification.sent target=" + target + " recipients=" + recipients.get());
        return Response.accepted(JsonText.object().add("recipients", recipients.get()).build()).build();
    }

    private static String text(JsonObject body, String field, boolean required, int max, Map<String, String> faults) {
        JsonValue v = body.getOrDefault(field, JsonValue.NULL);
        if (v == JsonValue.NULL) {
            if (required) {
                faults.put(field, "is required");
            }
            return null;
        }
        if (!(v instanceof JsonString s) || s.getString().isBlank()) {
            faults.put(field, "must be a non-empty string");
            return null;
        }
        if (s.getString().length() > max) {
            faults.put(field, "must be at most " + max + " characters");
            return null;
        }
        return s.getString();
    }

    private static boolean validActions(JsonValue actions) {
        if (!(actions instanceof JsonArray array) || array.size() > 16) {
            return false;
        }
        for (JsonValue a : array) {
            if (!(a instanceof JsonObject o)) {
                return false;
            }
            for (JsonValue v : o.values()) {
                if (!(v instanceof JsonString)) {
                    return false;
                }
            }
            if (!(o.get("label") instanceof JsonString)) {
                return false;
            }
        }
        return true;
    }
}
