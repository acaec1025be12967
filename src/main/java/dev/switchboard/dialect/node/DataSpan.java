package dev.switchboard.dialect.node;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The {@code payload.data} string of a large node message (a {@code file.upload.chunk} carries a megabyte of
 * base64 there), located in the frame's text instead of copied out of it. A JSON parser would copy those characters
 * three times and build a string of them before the base64 decoder copies them again; here the rest of the message
 * (the "skeleton", with {@code data} emptied) goes through the normal parser and validation, and the span is decoded
 * once, straight from the text.
 *
 * <p>Only a plain string is split off: one that holds a backslash, a second {@code data} key, or a message this
 * scanner cannot follow leaves the message to the normal path, which gives the same answers as before.
 */
record DataSpan(byte[] latin1, int start, int end) {

    /** Below this a message is parsed the ordinary way: the split would not pay for itself. */
    static final int MIN_MESSAGE_CHARS = 16 * 1024;

    /** The message with {@code payload.data}'s characters cut out, and where they were. */
    record Split(String skeleton, DataSpan data) {
    }

    int length() {
        return end - start;
    }

    /**
     * Decodes the span as standard base64 (padding optional, as {@link Base64#getDecoder()}).
     *
     * @throws IllegalArgumentException when it is not base64
     */
    ByteBuffer decodeBase64() {
        return Base64.getDecoder().decode(ByteBuffer.wrap(latin1, start, end - start));
    }

    /** @return the split, or empty when the message should take the ordinary path */
    static Optional<Split> split(String text) {
        if (text.length() < MIN_MESSAGE_CHARS) {
            return Optional.empty();
        }
        // ISO-8859-1 turns every character above U+00FF into '?', which is neither JSON structure nor base64, so
        // nothing aliases; a surrogate pair would become one '?' and shift the offsets: such text takes the other path
        byte[] latin1 = text.getBytes(StandardCharsets.ISO_8859_1);
        if (latin1.length != text.length()) {
            return Optional.empty();
        }
        DataSpan span = new Scanner(latin1).topLevel();
        if (span == null) {
            return Optional.empty();
        }
        String skeleton = text.substring(0, span.start) + text.substring(span.end);
        return Optional.of(new Split(skeleton, span));
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long QUOTES = ONES * '"';
    private static final long BACKSLASHES = ONES * '\\';

    /** The first '"' or '\\' from {@code from}, eight bytes at a time; -1 when there is none. */
    static int quoteOrBackslash(byte[] b, int from) {
        int i = from;
        for (; i + Long.BYTES <= b.length; i += Long.BYTES) {
            long w = (long) LONGS.get(b, i);
            long q = w ^ QUOTES;
            long s = w ^ BACKSLASHES;
            if ((((q - ONES) & ~q | (s - ONES) & ~s) & HIGHS) != 0) {
                break;
            }
        }
        for (; i < b.length; i++) {
            if (b[i] == '"' || b[i] == '\\') {
                return i;
            }
        }
        return -1;
    }

    /** Walks the envelope's members; every other value is skipped without interpretation (the skeleton's parse judges it). */
    private static final class Scanner {
        private final byte[] s;
        private int i;
        private DataSpan found;
        private boolean ambiguous;

        Scanner(byte[] s) {
            this.s = s;
        }

        DataSpan topLevel() {
            if (!object(true) || ambiguous) {
                return null;
            }
            return found;
        }

        /** Reads one object at {@code i}; {@code envelope} says whether its {@code payload} member is to be entered. */
        private boolean object(boolean envelope) {
            ws();
            if (!at('{')) {
                return false;
            }
            i++;
            ws();
            if (at('}')) {
                i++;
                return true;
            }
            while (true) {
                ws();
                int keyStart = i + 1;
                if (!at('"') || !skipString()) {
                    return false;
                }
                String key = new String(s, keyStart, i - 1 - keyStart, StandardCharsets.ISO_8859_1);
                ws();
                if (!at(':')) {
                    return false;
                }
                i++;
                ws();
                boolean ok;
                if (envelope && key.equals("payload") && at('{')) {
                    ok = object(false);
                } else if (!envelope && key.equals("data") && at('"')) {
                    ok = data();
                } else {
                    ok = skipValue();
                }
                if (!ok) {
                    return false;
                }
                ws();
                if (at(',')) {
                    i++;
                } else if (at('}')) {
                    i++;
                    return true;
                } else {
                    return false;
                }
            }
        }

        private boolean data() {
            int open = i;
            int close = quoteOrBackslash(s, open + 1);
            if (close < 0) {
                return false;
            }
            if (s[close] == '\\') {
                ambiguous = true; // escapes: let the parser read it
                return skipString(); // from the opening quote
            }
            if (found != null) {
                ambiguous = true; // a second data key: the parser decides which one counts
            }
            found = new DataSpan(s, open + 1, close);
            i = close + 1;
            return true;
        }

        private boolean skipValue() {
            if (at('"')) {
                return skipString();
            }
            if (at('{') || at('[')) {
                int depth = 0;
                while (i < s.length) {
                    byte c = s[i];
                    if (c == '"') {
                        if (!skipString()) {
                            return false;
                        }
                        continue;
                    }
                    if (c == '{' || c == '[') {
                        depth++;
                    } else if (c == '}' || c == ']') {
                        depth--;
                        if (depth == 0) {
                            i++;
                            return true;
                        }
                    }
                    i++;
                }
                return false;
            }
            int from = i;
            while (i < s.length && ",}] \t\r\n".indexOf((char) s[i]) < 0) {
                i++;
            }
            return i > from;
        }

        /** At an opening quote: moves past the closing one. */
        private boolean skipString() {
            i++;
            while (i < s.length) {
                byte c = s[i++];
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    return true;
                }
            }
            return false;
        }

        private boolean at(char c) {
            return i < s.length && s[i] == c;
        }

        private void ws() {
            while (i < s.length) {
                byte c = s[i];
                if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                    return;
                }
                i++;
            }
        }
    }
}
