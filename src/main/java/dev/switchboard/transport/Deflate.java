package dev.switchboard.transport;

import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The deflate side of permessage-deflate (RFC 7692, section 7.2) with {@link java.util.zip}: messages compressed each
 * on its own (the server never takes over context, {@link PerMessageDeflate}) and a client's messages inflated with a
 * bound on what they may inflate to.
 *
 * <p>A {@link Deflater} holds some 256 KB of native memory (zlib, 15-bit window, default memory level), so there is
 * none per connection: a small pool ({@link #POOL} of them at most, made when first needed) serves every
 * compression, each reset after use. A
 * connection inflates with an {@link Inflater} of its own (a message may come in fragments, between other
 * connections' frames), made when a compressed message begins; when the client takes over context it must keep its
 * 32 KiB window between messages, else it is given back after each message (the server's answer asks every client for
 * no context takeover: {@link PerMessageDeflate}).</p>
 */
public final class Deflate {

    /** The four bytes every flushed deflate block ends with: left off the wire, put back before inflating. */
    static final byte[] TAIL = {0x00, 0x00, (byte) 0xFF, (byte) 0xFF};

    private static final int POOL = Math.max(2, Runtime.getRuntime().availableProcessors() * 2);
    private static final ArrayBlockingQueue<Deflater> DEFLATERS = new ArrayBlockingQueue<>(POOL);

    private Deflate() {
    }

    /**
     * One message's payload compressed as a deflate stream of its own, ending in a sync flush whose four tail bytes
     * are left off (RFC 7692 section 7.2.1), at the default level.
     */
    public static byte[] compress(byte[] data) {
        return compress(data, 0, data.length);
    }

    public static byte[] compress(byte[] data, int offset, int length) {
        Deflater d = DEFLATERS.poll();
        if (d == null) {
            d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        }
        try {
            d.setInput(data, offset, length);
            byte[] out = new byte[Math.max(64, length / 2 + 64)];
            int n = 0;
            while (true) {
                n += d.deflate(out, n, out.length - n, Deflater.SYNC_FLUSH);
                if (n < out.length) {
                    break; // the flush fitted: all input is consumed and flushed
                }
                out = Arrays.copyOf(out, out.length * 2);
            }
            // a sync flush ends with an empty stored block: 00 00 FF FF, which the wire does not carry
            if (n >= 4 && out[n - 4] == 0 && out[n - 3] == 0 && out[n - 2] == (byte) 0xFF && out[n - 1] == (byte) 0xFF) {
                n -= 4;
            }
            return Arrays.copyOf(out, n);
        } finally {
            d.reset();
            if (!DEFLATERS.offer(d)) {
                d.end();
            }
        }
    }

    /** Inflating went past the message limit: the connection is to be closed with 1009. */
    public static final class TooBig extends Exception {
        TooBig(long limit) {
            super("Message too big: inflates past the limit of " + limit + " bytes");
        }
    }

    /**
     * One connection's inflating of the client's compressed messages, frame by frame (a compressed message may be
     * fragmented: the first frame has RSV1, the tail is put back after the last). Not thread-safe: one reader
     * thread per connection.
     */
    public static final class Inflation {

        private static final int CHUNK = 16 * 1024;

        private final boolean noContextTakeover;
        private Inflater inflater;
        private long messageBytes;

        /** @param noContextTakeover the client promised a fresh deflate stream for every message */
        public Inflation(boolean noContextTakeover) {
            this.noContextTakeover = noContextTakeover;
        }

        /**
         * The inflated bytes of one frame of a compressed message; {@code last}: the message's final frame. At most
         * {@code limit} bytes in all for the message, else {@link TooBig}, having inflated no more than
         * {@code limit + 1} bytes of it.
         *
         * @throws DataFormatException the payload is not a valid deflate stream
         */
        public byte[] inflate(byte[] payload, boolean last, long limit) throws TooBig, DataFormatException {
            Inflater inf = inflater;
            if (inf == null) {
                inf = new Inflater(true);
                inflater = inf;
            }
            try {
                if (inf.finished() && payload.length > 0) {
                    throw new DataFormatException("data after the end of the deflate stream");
                }
                long left = limit - messageBytes;
                Out out = new Out((int) Math.max(0, Math.min(left + 1, Math.max(CHUNK, Math.min((long) payload.length * 4, 1 << 20)))));
                inf.setInput(payload);
                drain(inf, out, left, limit);
                if (last && !inf.finished()) {
                    inf.setInput(TAIL);
                    drain(inf, out, left, limit);
                }
                messageBytes += out.n;
                if (last) {
                    messageBytes = 0;
                    if (noContextTakeover || inf.finished()) {
                        // no context for the next message: give the window back (a finished stream cannot go on either)
                        release();
                    }
                }
                return Arrays.copyOf(out.buf, out.n);
            } catch (TooBig | DataFormatException | RuntimeException e) {
                release();
                throw e;
            }
        }

        /** A growing output buffer. */
        private static final class Out {
            byte[] buf;
            int n;

            Out(int size) {
                buf = new byte[size];
            }
        }

        /**
         * Inflates the input the inflater has into {@code out}, never making more than {@code left + 1} bytes (one
         * past the limit tells that it is too big).
         */
        private static void drain(Inflater inf, Out out, long left, long limit) throws TooBig, DataFormatException {
            while (!inf.finished()) {
                if (out.n == out.buf.length) {
                    long room = left + 1 - out.n;
                    if (room <= 0) {
                        throw new TooBig(limit);
                    }
                    out.buf = Arrays.copyOf(out.buf, (int) Math.min(out.buf.length + (long) Math.max(out.buf.length, CHUNK),
                            out.n + room));
                }
                int k = inf.inflate(out.buf, out.n, out.buf.length - out.n);
                out.n += k;
                if (out.n > left) {
                    throw new TooBig(limit);
                }
                if (k == 0) {
                    if (inf.needsDictionary()) {
                        throw new DataFormatException("a preset dictionary is not allowed");
                    }
                    if (inf.needsInput()) {
                        return;
                    }
                }
            }
        }

        /** Gives the inflater's native memory back (the connection closed, or no context is kept). */
        public void release() {
            Inflater inf = inflater;
            inflater = null;
            messageBytes = 0;
            if (inf != null) {
                inf.end();
            }
        }

        /** Whether an inflater is held now (tests: none while idle with no context takeover). */
        boolean holding() {
            return inflater != null;
        }
    }
}
