package dev.switchboard.dialect.rtc;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Binary frames of spec/rtc.md, Binary Protocol Support: {@code [1 byte type][4 bytes big-endian length][payload]}.
 * The declared length must be exactly the payload's; the type one of the four the spec lists.
 */
final class RtcBinary {

    static final String[] TYPES = {null, "broadcast", "direct_message", "file_transfer", "stream_data"};
    static final int HEADER = 5;

    /** A well-formed binary message: its type's name, payload size and {@code sha256:<hex>} of the payload. */
    record Received(String type, int size, String checksum) {
    }

    private RtcBinary() {
    }

    static Received read(ByteBuffer frame) throws RtcCodec.Invalid {
        if (frame.remaining() < HEADER) {
            throw new RtcCodec.Invalid("header", "A binary message needs a 5-byte header [type][length], got "
                    + frame.remaining() + " bytes");
        }
        int type = frame.get() & 0xff;
        long declared = frame.getInt() & 0xffffffffL;
        if (type < 1 || type >= TYPES.length) {
            throw new RtcCodec.Invalid("type", "Unknown binary message type 0x" + String.format("%02x", type));
        }
        if (declared != frame.remaining()) {
            throw new RtcCodec.Invalid("length", "Declared length " + declared + " does not match the payload's "
                    + frame.remaining() + " bytes");
        }
        int size = frame.remaining();
        return new Received(TYPES[type], size, "sha256:" + HexFormat.of().formatHex(sha256(frame)));
    }

    private static byte[] sha256(ByteBuffer payload) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(payload);
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
