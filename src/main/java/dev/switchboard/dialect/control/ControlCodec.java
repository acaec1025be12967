package dev.switchboard.dialect.control;

import dev.switchboard.common.JsonText;
import dev.switchboard.hub.entity.Frame;

import jakarta.json.JsonObjectBuilder;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The control dialect's envelope {@code {event, data}} and its ids. The domain's ids are numbers; the spec's are UUID
 * strings, so each is the name-based UUID (RFC 4122 version 3) of {@code switchboard:<kind>:<id>} — stable, and
 * derivable by a client that knows the REST id. The numeric id travels beside it.
 */
final class ControlCodec {

    private ControlCodec() {
    }

    static Frame encode(String event, JsonObjectBuilder data) {
        return Frame.of(dev.switchboard.common.JsonText.object().add("event", event).add("data", data).build().toString());
    }

    static String uuid(String kind, long id) {
        return UUID.nameUUIDFromBytes(("switchboard:" + kind + ":" + id).getBytes(StandardCharsets.UTF_8)).toString();
    }

    static String workflow(long id) {
        return uuid("workflow", id);
    }

    static String execution(long id) {
        return uuid("execution", id);
    }

    static String service(long id) {
        return uuid("service", id);
    }
}
