package dev.switchboard.messaging.control;

import dev.switchboard.common.JsonText;
import dev.switchboard.messaging.entity.CustomMessage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.json.JsonValue;


/**
 * The example of application code behind an {@code X-} message type: {@code X-Echo} is answered on the sender's
 * connection with {@code X-Echo} carrying the data it got, who sent it and the server's time. Any bean can observe
 * {@link CustomMessage} the same way and filter on {@link CustomMessage#type()}.
 */
@ApplicationScoped
public class EchoAction {

    public static final String TYPE = "X-Echo";

    void onCustom(@ObservesAsync CustomMessage message) {
        if (!TYPE.equals(message.type())) {
            return;
        }
        JsonValue data = JsonText.parse(message.dataJson());
        var answer = JsonText.object()
                .add("echo", data)
                .add("user", message.user())
                .add("server_time", System.currentTimeMillis() / 1000);
        if (message.id() != null) {
            answer.add("message_id", message.id());
        }
        message.reply(TYPE, answer.build().toString());
    }
}
