package dev.switchboard.dialect;

import java.util.function.Consumer;

/**
 * What a dialect's codec makes of one inbound text frame, the same in every dialect: the {@link Message} to act on,
 * or why it was {@link Refused} — the error frame's code and text, and the field at fault where there is one. The
 * codec decides; the dialect's frames class ({@code *Frames.refused}) is the one place that turns a refusal into
 * that dialect's error frame.
 *
 * @param <T> the dialect's inbound message type
 */
public sealed interface Decoded<T> permits Decoded.Message, Decoded.Refused {

    /** A well-formed message. */
    record Message<T>(T value) implements Decoded<T> {
    }

    /**
     * A frame the dialect cannot act on.
     *
     * @param code  the dialect's error code (spec names such as {@code INVALID_JSON}; rtc's status {@code 400})
     * @param text  what the client is told
     * @param field the offending field, or null
     */
    record Refused<T>(String code, String text, String field) implements Decoded<T> {
    }

    static <T> Decoded<T> message(T value) {
        return new Message<>(value);
    }

    static <T> Decoded<T> refused(String code, String text) {
        return new Refused<>(code, text, null);
    }

    static <T> Decoded<T> refused(String code, String text, String field) {
        return new Refused<>(code, text, field);
    }

    /** The message, or null after handing the refusal to {@code onRefused}. */
    default T orElse(Consumer<Refused<T>> onRefused) {
        if (this instanceof Message<T> m) {
            return m.value();
        }
        onRefused.accept((Refused<T>) this);
        return null;
    }
}
