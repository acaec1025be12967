package dev.switchboard.dialect;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** The codec tests' view of a {@link Decoded}: the message it must be, or the refusal. */
public final class DecodedAssert {

    private DecodedAssert() {
    }

    @SuppressWarnings("unchecked")
    public static <T> T message(Decoded<T> decoded) {
        return ((Decoded.Message<T>) assertInstanceOf(Decoded.Message.class, decoded, () -> "refused: " + decoded)).value();
    }

    public static Decoded.Refused<?> refused(Decoded<?> decoded) {
        return assertInstanceOf(Decoded.Refused.class, decoded, () -> "accepted: " + decoded);
    }
}
