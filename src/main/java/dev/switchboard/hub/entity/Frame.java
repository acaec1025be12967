package dev.switchboard.hub.entity;

import java.util.function.Function;

/**
 * One encoded text frame, shared by every connection it is sent to. The UTF-8 size is counted once here,
 * so a broadcast to N connections does no per-connection encoding or measuring; a transport that writes its
 * own encoding asks for {@link #encoded}, built once for all of them.
 */
public final class Frame {

    private final String text;
    private final int bytes;
    private volatile Object encoded;

    private Frame(String text, int bytes) {
        this.text = text;
        this.bytes = bytes;
    }

    public static Frame of(String text) {
        return new Frame(text, utf8Length(text));
    }

    public String text() {
        return text;
    }

    /** The UTF-8 length of the text. */
    public int bytes() {
        return bytes;
    }

    /**
     * A transport's own encoded form of this frame (for instance the finished RFC 6455 bytes, or an object holding
     * several forms of them, such as plain and compressed), made by the first connection that asks and shared by every
     * other: one adapter serves a server, so one slot is enough. The hub
     * never builds wire bytes itself; callers must not change what they get.
     */
    @SuppressWarnings("unchecked")
    public <T> T encoded(Function<String, T> encoder) {
        Object e = encoded;
        if (e == null) {
            e = encoder.apply(text);
            encoded = e;
        }
        return (T) e;
    }

    static int utf8Length(CharSequence s) {
        int n = 0;
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    @Override
    public String toString() {
        return "Frame[" + bytes + " bytes]";
    }
}
