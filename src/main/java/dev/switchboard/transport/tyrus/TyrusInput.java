package dev.switchboard.transport.tyrus;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;

import java.io.IOException;
import java.lang.reflect.Field;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads a connection's incoming frames before Tyrus parses them: checks each frame header the moment it is
 * complete, and unmasks the payload eight bytes at a time. Under the servlet container Tyrus reads the upgraded
 * connection from a {@link ServletInputStream} held in a private field of {@code TyrusHttpUpgradeHandler}; this
 * puts a stream there that hands Tyrus the same frames ({@link FrameUnmasker}).
 *
 * <p>The checks: Tyrus accepts unmasked client frames (RFC 6455 §5.1 says a server must close the connection) and
 * applies an endpoint's {@code setMaxTextMessageBufferSize}/{@code setMaxBinaryMessageBufferSize} only once it has
 * buffered the whole frame, up to the container-wide {@code incoming-buffer-size} (10 MB, which {@code /api/ws}
 * uploads need) on every path, the unauthenticated ones included. Here an unmasked frame closes the connection with
 * 1002, and a frame header announcing more than the session's own limit (a frame, or a fragmented message's frames
 * together) closes it with 1009 before any of the payload is read. The limits are read from the session at every
 * header, so whatever sets them in {@code @OnOpen} is obeyed. The checks run whatever
 * {@code switchboard.tyrus.fast-unmask} says; that setting only chooses whether this stream or Tyrus unmasks.</p>
 *
 * <p>Unmasking: Tyrus unmasks one byte at a time through a masker whose position is a {@code volatile} field, so
 * every byte of client data costs a memory fence: half of the server's CPU during an upload of 1 MiB chunks in our
 * profiles. Frames handed on unmasked are copied by Tyrus without a mask.</p>
 *
 * <p>It must be put in place before the first frame is read. Tyrus calls the endpoint's {@code @OnOpen} while it
 * makes the connection, and starts reading only after that returns, so {@link #install} is called from there
 * (through {@link Sockets#transport}); it does nothing when the handler has already buffered input. On any other
 * container or Tyrus version nothing changes (and the checks above are not made: logged once).</p>
 */
final class TyrusInput extends ServletInputStream {

    private static final Logger LOG = Logger.getLogger(TyrusInput.class.getName());
    private static volatile boolean unavailable;
    private static volatile boolean announced;

    private final ServletInputStream in;
    private final FrameUnmasker unmasker;
    /** Null once the connection is closed and released ({@link ClosedRelease}): Payara keeps this stream long after. */
    private volatile Session session;
    /** Set once a frame broke the rules: the connection is being closed and nothing more reaches Tyrus. */
    private boolean refused;

    TyrusInput(ServletInputStream in, Session session, boolean unmask) {
        this.in = in;
        this.session = session;
        this.unmasker = new FrameUnmasker(unmask, session == null ? FrameUnmasker.Limits.NONE : this::limit);
    }

    private long limit(boolean text) {
        Session s = session;
        return s == null ? 0 : text ? s.getMaxTextMessageBufferSize() : s.getMaxBinaryMessageBufferSize();
    }

    /** Lets go of the session (and all Tyrus keeps through it) once the connection is closed. */
    void release() {
        session = null;
    }

    /** Gives the session's upgraded connection the checking (and, with {@code unmask}, unmasking) stream; call it from {@code @OnOpen}. */
    static void install(Session session, boolean unmask) {
        if (unavailable) {
            return;
        }
        try {
            Object handler = TyrusInternals.upgradeHandler(TyrusInternals.writerOf(session));
            Field is = typed(TyrusInternals.declared(handler, TyrusInternals.UPGRADE_HANDLER, "is"), ServletInputStream.class);
            Field buf = typed(TyrusInternals.declared(handler, TyrusInternals.UPGRADE_HANDLER, "buf"), java.nio.ByteBuffer.class);
            Object current = is.get(handler);
            if (buf.get(handler) == null && current instanceof ServletInputStream stream && !(current instanceof TyrusInput)) {
                is.set(handler, new TyrusInput(stream, session, unmask));
                if (!announced) {
                    announced = true;
                    LOG.info("tyrus.frame-guard active fast-unmask=" + unmask);
                    if (unmask) {
                        LOG.info("tyrus.fast-unmask active");
                    }
                }
            } else {
                LOG.fine(() -> "tyrus.frame-guard skipped for a connection that has already read input");
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            unavailable = true;
            LOG.log(Level.WARNING, "tyrus.frame-guard unavailable: unmasked client frames are accepted and endpoint "
                    + "message limits apply only after Tyrus buffered a frame (up to incoming-buffer-size); " + e);
        }
    }

    private static Field typed(Field f, Class<?> expected) throws NoSuchFieldException {
        if (f.getType() != expected) {
            throw new NoSuchFieldException(f + " is not a " + expected.getName());
        }
        return f;
    }

    /**
     * Reads into {@code b[off + held ..]} and passes the frames on to {@code b[off ..]}; may return 0 when all that
     * came was part of a frame header. After a frame broke the rules, the connection is closed with the code the
     * rule names and everything read after it is dropped (Tyrus gets 0 bytes).
     */
    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (refused) {
            int n = in.read(b, off, len);
            return n < 0 ? n : 0;
        }
        int held = unmasker.held();
        if (len <= held) {
            throw new IOException("Tyrus input buffer exceeded");
        }
        int n = in.read(b, off + held, len - held);
        if (n <= 0) {
            return n;
        }
        try {
            return unmasker.unmask(b, off, off + held, n);
        } catch (FrameUnmasker.Violation v) {
            refused = true;
            refuse(v);
            return 0;
        }
    }

    /** Closes with the violation's code; Tyrus sends the close frame and then closes the socket. */
    private void refuse(FrameUnmasker.Violation v) throws IOException {
        Session session = this.session;
        String id = session == null ? "?" : session.getId();
        LOG.info(() -> "ws.frame.refused code=" + v.code() + " reason=\"" + v.getMessage() + "\" session=" + id);
        if (session == null) {
            throw new IOException(v.getMessage());
        }
        try {
            session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(v.code()), v.getMessage()));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "ws.frame.refused close failed session=" + id, e);
        }
    }

    @Override
    public int read() throws IOException {
        throw new IOException("single-byte reads of a WebSocket connection are not supported");
    }

    /** What the container has, plus room for a held header, so that a read sized by it can make progress. */
    @Override
    public int available() throws IOException {
        int n = in.available();
        if (refused) {
            return n;
        }
        return n == 0 ? 0 : n + unmasker.held();
    }

    @Override
    public boolean isFinished() {
        return in.isFinished();
    }

    @Override
    public boolean isReady() {
        return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
        in.setReadListener(listener);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
