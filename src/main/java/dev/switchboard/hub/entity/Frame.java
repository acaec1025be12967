package dev.switchboard.hub.entity;

/**
 * One encoded text frame, shared by every connection it is sent to. The UTF-8 size is counted once here,
 * so a broadcast to N connections does no per-connection encoding or measuring.
 */
public record Frame(String text, int bytes) {

    public static Frame of(String text) {
        return new Frame(text, utf8Length(text));
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
}
