package dev.switchboard.transport;

import jakarta.websocket.Extension;
import jakarta.websocket.Session;

import java.util.List;
import java.util.Optional;

/**
 * A WebSocket container's fast paths, chosen once at start-up by {@link Sockets}: what the standard
 * {@code jakarta.websocket} API does slowly on that container. {@link #STANDARD} is the portable behaviour; an
 * adapter lives in its container's sub-package ({@code transport/tyrus/} for Payara) and never changes what
 * reaches the wire, only how fast.
 */
public interface ContainerAdapter {

    /** Called from {@code @OnOpen}, before the container reads anything from the connection. */
    default void opened(Session session) {
    }

    /**
     * Called first in every endpoint's {@code @OnClose}, which the container calls before it ends the upgraded
     * request: for what must be cut off from the connection before that request is reused.
     */
    default void closed(Session session) {
    }

    /** The session's own frame writer, or {@code null} for the standard {@code sendText} path. */
    default FrameWriter writer(Session session) {
        return null;
    }

    /** The client's network address, if the container tells it; {@code null} otherwise (the standard API does not). */
    default String clientAddress(Session session) {
        return null;
    }

    /**
     * The extensions to accept from a client's offer (the handshake configurator's answer), or empty to leave it to
     * the container (which negotiates what it has installed, or nothing).
     */
    default Optional<List<Extension>> negotiatedExtensions(List<Extension> requested) {
        return Optional.empty();
    }

    /** Called every few seconds off the socket threads: for what an adapter lets go of after connections closed. */
    default void sweep() {
    }

    /** The adapter's name for the start-up log and metrics. */
    String name();

    ContainerAdapter STANDARD = () -> "standard";
}
