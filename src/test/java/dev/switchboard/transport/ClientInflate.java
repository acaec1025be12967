package dev.switchboard.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/** What a client does with a compressed message (RFC 7692 7.2.2): the tail put back, inflated raw. */
public final class ClientInflate {

    private ClientInflate() {
    }

    /** Inflates one message with a fresh inflater (no context kept: the server's answer is no_context_takeover). */
    public static byte[] message(byte[] payload) throws IOException {
        Inflater inf = new Inflater(true);
        try {
            return message(inf, payload);
        } finally {
            inf.end();
        }
    }

    /** Inflates one message with {@code inf}, which keeps its context from the messages before. */
    public static byte[] message(Inflater inf, byte[] payload) throws IOException {
        try {
            byte[] in = Arrays.copyOf(payload, payload.length + Deflate.TAIL.length);
            System.arraycopy(Deflate.TAIL, 0, in, payload.length, Deflate.TAIL.length);
            inf.setInput(in);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (!inf.finished()) {
                int n = inf.inflate(buf);
                out.write(buf, 0, n);
                if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    break;
                }
            }
            if (inf.getRemaining() != 0) {
                throw new IOException(inf.getRemaining() + " bytes of the payload were not inflated");
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new IOException("not a deflate stream", e);
        }
    }
}
