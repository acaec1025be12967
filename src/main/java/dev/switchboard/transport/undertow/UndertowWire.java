package dev.switchboard.transport.undertow;

import dev.switchboard.hub.entity.Transport;
import dev.switchboard.transport.FrameWriter;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import io.undertow.websockets.jsr.UndertowSession;

import jakarta.websocket.Session;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes finished text frames to an Undertow session's channel: the frame's UTF-8 bytes are made once per broadcast
 * (a read-only buffer shared by every connection, each write reading its own view of it) and sent with
 * {@link WebSockets#sendText(ByteBuffer, WebSocketChannel, WebSocketCallback)}, the call Undertow's own
 * {@code RemoteEndpoint.Async.sendText} ends in after encoding the text for that one connection. Undertow queues the
 * frames of a channel in order, its own (pongs, closes) among them.
 */
final class UndertowWire implements FrameWriter {

    private static final Logger LOG = Logger.getLogger(UndertowWire.class.getName());
    private static volatile boolean announced;

    private final WebSocketChannel channel;

    private UndertowWire(WebSocketChannel channel) {
        this.channel = channel;
    }

    /** The session's channel writer, or null when the session is not Undertow's. */
    static FrameWriter of(Session session) {
        if (!(session instanceof UndertowSession undertow) || undertow.getWebSocketChannel() == null) {
            return null;
        }
        if (!announced) {
            announced = true;
            LOG.info("undertow.shared-frames active");
        }
        return new UndertowWire(undertow.getWebSocketChannel());
    }

    @Override
    public void write(dev.switchboard.hub.entity.Frame frame, Transport.SendCallback done) {
        ByteBuffer shared = frame.encoded(UndertowWire::utf8);
        WebSockets.sendText(shared.duplicate(), channel, new Completion(done));
    }

    private static ByteBuffer utf8(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
    }

    private record Completion(Transport.SendCallback done) implements WebSocketCallback<Void> {
        @Override
        public void complete(WebSocketChannel channel, Void context) {
            done.completed(null);
        }

        @Override
        public void onError(WebSocketChannel channel, Void context, Throwable failure) {
            LOG.log(Level.FINE, "undertow.write-failed", failure);
            done.completed(failure);
        }
    }
}
