package dev.switchboard.transport.tyrus;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.websocket.Session;

import java.io.IOException;
import java.lang.reflect.Field;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Unmasks a connection's incoming frames before Tyrus parses them. Tyrus unmasks one byte at a time through a
 * masker whose position is a {@code volatile} field, so every byte of client data costs a memory fence: half of the
 * server's CPU during an upload of 1 MiB chunks in our profiles. Under the servlet container Tyrus reads the
 * upgraded connection from a {@link ServletInputStream} held in a private field of
 * {@code TyrusHttpUpgradeHandler}; this puts a stream there that hands Tyrus the same frames already unmasked
 * ({@link FrameUnmasker}, eight bytes at a time), which Tyrus then copies without a mask.
 *
 * <p>It must be put in place before the first frame is read. Tyrus calls the endpoint's {@code @OnOpen} while it
 * makes the connection, and starts reading only after that returns, so {@link #unmaskEarly} is called from there
 * (through {@link Sockets#transport}); it does nothing when the handler has already buffered input. On any other
 * container or Tyrus version, or with {@code switchboard.tyrus.fast-unmask=false}, nothing changes.</p>
 *
 * <p>Tyrus itself accepts unmasked client frames (RFC 6455 says a server must not); this stream passes them to it
 * unchanged, so that behaviour is as before.</p>
 */
final class TyrusInput extends ServletInputStream {

    private static final Logger LOG = Logger.getLogger(TyrusInput.class.getName());
    private static volatile boolean unavailable;
    private static volatile boolean announced;

    private final ServletInputStream in;
    private final FrameUnmasker unmasker = new FrameUnmasker();

    TyrusInput(ServletInputStream in) {
        this.in = in;
    }

    /** Gives the session's upgraded connection a stream that unmasks; call it from {@code @OnOpen}. */
    static void unmaskEarly(Session session) {
        if (unavailable) {
            return;
        }
        try {
            Object handler = TyrusInternals.upgradeHandler(TyrusInternals.writerOf(session));
            Field is = typed(TyrusInternals.declared(handler, TyrusInternals.UPGRADE_HANDLER, "is"), ServletInputStream.class);
            Field buf = typed(TyrusInternals.declared(handler, TyrusInternals.UPGRADE_HANDLER, "buf"), java.nio.ByteBuffer.class);
            Object current = is.get(handler);
            if (buf.get(handler) == null && current instanceof ServletInputStream stream && !(current instanceof TyrusInput)) {
                is.set(handler, new TyrusInput(stream));
                if (!announced) {
                    announced = true;
                    LOG.info("tyrus.fast-unmask active");
                }
            } else {
                LOG.fine(() -> "tyrus.fast-unmask skipped for a connection that has already read input");
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            unavailable = true;
            LOG.log(Level.INFO, "tyrus.fast-unmask unavailable, Tyrus unmasks as usual: " + e);
        }
    }

    private static Field typed(Field f, Class<?> expected) throws NoSuchFieldException {
        if (f.getType() != expected) {
            throw new NoSuchFieldException(f + " is not a " + expected.getName());
        }
        return f;
    }

    /**
     * Reads into {@code b[off + held ..]} and unmasks in place to {@code b[off ..]}; may return 0 when all that came
     * was part of a frame header.
     */
    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int held = unmasker.held();
        if (len <= held) {
            throw new IOException("Tyrus input buffer exceeded");
        }
        int n = in.read(b, off + held, len - held);
        if (n <= 0) {
            return n;
        }
        return unmasker.unmask(b, off, off + held, n);
    }

    @Override
    public int read() throws IOException {
        throw new IOException("single-byte reads of a WebSocket connection are not supported");
    }

    /** What the container has, plus room for a held header, so that a read sized by it can make progress. */
    @Override
    public int available() throws IOException {
        int n = in.available();
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
