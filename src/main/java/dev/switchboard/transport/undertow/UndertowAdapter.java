package dev.switchboard.transport.undertow;

import dev.switchboard.transport.ContainerAdapter;
import dev.switchboard.transport.FrameWriter;

import jakarta.websocket.Session;

import java.util.Optional;
import java.util.logging.Logger;

/**
 * WildFly's fast path, through Undertow's public API (no reflection): a broadcast's frame is encoded to UTF-8 once
 * and that one buffer is handed to every connection's Undertow channel ({@link UndertowWire}), where the standard
 * {@code sendText(String)} encodes the text again for each connection. Switched by
 * {@code switchboard.undertow.shared-frames}; on any other container, or where a session is not Undertow's, the
 * standard path is used.
 */
public final class UndertowAdapter implements ContainerAdapter {

    private static final Logger LOG = Logger.getLogger(UndertowAdapter.class.getName());
    private static final String UNDERTOW_SESSION = "io.undertow.websockets.jsr.UndertowSession";

    private UndertowAdapter() {
    }

    /** The adapter when Undertow's WebSocket classes are visible to the application (WildFly), else nothing. */
    public static Optional<ContainerAdapter> ifPresent(ClassLoader loader, boolean sharedFrames) {
        if (!sharedFrames) {
            return Optional.empty();
        }
        try {
            Class.forName(UNDERTOW_SESSION, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.empty();
        }
        LOG.info("transport.adapter=undertow shared-frames=true");
        return Optional.of(new UndertowAdapter());
    }

    @Override
    public FrameWriter writer(Session session) {
        return UndertowWire.of(session);
    }

    @Override
    public String name() {
        return "undertow";
    }
}
