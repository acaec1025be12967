package dev.switchboard.transport.tyrus;

import dev.switchboard.transport.ContainerAdapter;
import dev.switchboard.transport.FrameWriter;
import dev.switchboard.transport.PerMessageDeflate;

import jakarta.websocket.Extension;
import jakarta.websocket.Session;

import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Payara's fast paths (Tyrus over Grizzly), each measured in the benchmark and each switched by its own setting:
 * incoming frames checked and unmasked eight bytes at a time ({@link TyrusInput}; the checks, masking and each
 * endpoint's message limit before buffering, are made whatever the setting), no idle-timer task per frame for sessions
 * without an idle timeout ({@link TyrusIdleTimer}), finished frames written once per broadcast through Tyrus's
 * writer ({@link TyrusWire}) and, on plain connections, straight to Grizzly's write queue ({@link GrizzlyWire}), and
 * what the container keeps of the handshake let go of once the connection is open ({@link HandshakeRelease}), and
 * Payara's byte-counting probe taken off upgraded connections ({@link ByteProbes}), a closed connection's Tyrus
 * state let go of, which Payara's request cache would keep ({@link ClosedRelease}), what a closed connection still
 * sends kept from the recycled request it would otherwise reach ({@link LateReads}), and permessage-deflate, which
 * Payara's Tyrus does not have ({@link TyrusDeflate}; {@code websocket.compression.*}).
 * Everything here reaches private fields of Tyrus and Grizzly; each piece falls back to the standard path by
 * itself, and logs once, when the running versions do not have what it expects.
 */
public final class TyrusAdapter implements ContainerAdapter {

    private static final Logger LOG = Logger.getLogger(TyrusAdapter.class.getName());
    private static final String TYRUS_SPI = "org.glassfish.tyrus.spi.Writer";
    private static final String TYRUS_EXTENSIONS = "org.glassfish.tyrus.core.extension.ExtendedExtension";

    /** Which fast paths are on: each is a setting of its own ({@code switchboard.tyrus.*}, {@code switchboard.grizzly.*}). */
    public record Switches(boolean fastUnmask, boolean skipIdleTimer, boolean rawFrames, boolean directWrites,
                           boolean releaseHandshake, boolean dropByteProbes, boolean releaseClosed,
                           boolean dropLateReads) {
    }

    private final Switches on;
    /** The compression settings, or {@link PerMessageDeflate.Settings#OFF} when Tyrus has no extension SPI. */
    private final PerMessageDeflate.Settings compression;

    private TyrusAdapter(Switches on, PerMessageDeflate.Settings compression) {
        this.on = on;
        this.compression = compression;
    }

    /** The adapter when Tyrus's SPI is visible to the application (Payara), else nothing. */
    public static Optional<ContainerAdapter> ifPresent(ClassLoader loader, Switches on, PerMessageDeflate.Settings compression) {
        try {
            Class.forName(TYRUS_SPI, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.empty();
        }
        PerMessageDeflate.Settings deflate = compression;
        if (compression.enabled()) {
            try {
                Class.forName(TYRUS_EXTENSIONS, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                LOG.info("tyrus.permessage-deflate unavailable (no extension SPI): " + e);
                deflate = PerMessageDeflate.Settings.OFF;
            }
        }
        PerMessageDeflate.Settings chosen = deflate;
        LOG.info(() -> "transport.adapter=tyrus " + on + " " + chosen);
        return Optional.of(new TyrusAdapter(on, chosen));
    }

    /**
     * permessage-deflate when the client offers it acceptably ({@link PerMessageDeflate#negotiate}): a new
     * {@link TyrusDeflate} for the connection, carrying its answer; otherwise no extension at all.
     */
    @Override
    public Optional<List<Extension>> negotiatedExtensions(List<Extension> requested) {
        if (!compression.enabled()) {
            return Optional.of(List.of());
        }
        return Optional.of(PerMessageDeflate.negotiate(requested)
                .<List<Extension>>map(a -> List.of(new TyrusDeflate(a, compression.minBytes())))
                .orElse(List.of()));
    }

    /** The session's own permessage-deflate extension, if it negotiated one. */
    private static TyrusDeflate deflate(Session session) {
        List<Extension> negotiated = session.getNegotiatedExtensions();
        if (negotiated != null) {
            for (Extension e : negotiated) {
                if (e instanceof TyrusDeflate d) {
                    return d;
                }
            }
        }
        return null;
    }

    @Override
    public void opened(Session session) {
        // always: the frame checks (RFC 6455 masking, each endpoint's limit before buffering) are not optional
        TyrusInput.install(session, on.fastUnmask());
        if (compression.enabled()) {
            TyrusDeflate d = deflate(session);
            if (d != null) {
                d.attach(session);
            }
        }
        if (on.skipIdleTimer()) {
            TyrusIdleTimer.skipWhenUnused(session);
        }
        if (on.releaseHandshake()) {
            HandshakeRelease.release(session);
        }
        if (on.dropByteProbes()) {
            ByteProbes.drop(session);
        }
        if (on.releaseClosed()) {
            ClosedRelease.track(session);
        }
        if (on.dropLateReads()) {
            LateReads.track(session);
        }
    }

    @Override
    public void closed(Session session) {
        if (on.dropLateReads()) {
            LateReads.stop(session);
        }
    }

    @Override
    public void sweep() {
        if (on.releaseClosed()) {
            ClosedRelease.sweep();
        }
    }

    @Override
    public FrameWriter writer(Session session) {
        if (!on.rawFrames()) {
            return null;
        }
        // one encoding per broadcast, shared by every connection: plain, and compressed for those that negotiated it
        int minBytes = compression.enabled() && deflate(session) != null ? compression.minBytes() : Integer.MAX_VALUE;
        return TyrusWire.of(session, on.directWrites())
                .<FrameWriter>map(w -> new TyrusFrames(w, minBytes))
                .orElse(null);
    }

    /** Tyrus's session knows the peer's address ({@code TyrusSession.getRemoteAddr()}); looked up once. */
    @Override
    public String clientAddress(Session session) {
        try {
            java.lang.reflect.Method m = remoteAddr;
            if (m == null || !m.getDeclaringClass().isInstance(session)) {
                m = session.getClass().getMethod("getRemoteAddr");
                remoteAddr = m;
            }
            Object address = m.invoke(session);
            return address instanceof String a ? a : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private volatile java.lang.reflect.Method remoteAddr;

    @Override
    public String name() {
        return "tyrus";
    }
}
