package dev.switchboard.messaging.entity;

/**
 * A client message of an application-defined {@code X-} type, handed to application code as an asynchronous CDI
 * event ({@code @ObservesAsync CustomMessage}). {@code dataJson} is the message's {@code data} as JSON text (may be
 * {@code null} JSON); {@code id} the client's message id or null. {@link #reply} answers on the sender's connection.
 */
public record CustomMessage(String type, String dataJson, String id, String user, String connectionId, Replies replies) {

    /** How an observer answers; the dialect encodes the frame. */
    @FunctionalInterface
    public interface Replies {
        /** @param type the answer's message type; @param dataJson its data, a JSON value as text */
        void reply(String type, String dataJson);
    }

    public void reply(String type, String dataJson) {
        replies.reply(type, dataJson);
    }
}
