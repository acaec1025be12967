package dev.switchboard.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/** A real WebSocket client (java.net.http) that collects every text frame as JSON. */
public final class WsClient implements WebSocket.Listener, AutoCloseable {

    /** The close frame the server sent: code and reason. */
    public record Closed(int code, String reason) {
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final BlockingQueue<JsonObject> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;
    /** For {@link ReceivedFrames}: the dialect's path and the test that connected. */
    private String path;
    private String test;

    public static WsClient connect(URI uri) {
        return connect(uri, Map.of());
    }

    public static WsClient connect(URI uri, Map<String, String> headers, String... subprotocols) {
        try {
            return connectOrFail(uri, headers, subprotocols);
        } catch (WebSocketHandshakeException e) {
            throw new AssertionError("handshake refused: HTTP " + e.getResponse().statusCode(), e);
        }
    }

    /** @throws WebSocketHandshakeException when the server refuses the upgrade (its status is in the response) */
    public static WsClient connectOrFail(URI uri, Map<String, String> headers, String... subprotocols)
            throws WebSocketHandshakeException {
        WsClient client = new WsClient();
        client.path = uri.getPath();
        client.test = ReceivedFrames.caller();
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        headers.forEach(builder::header);
        if (subprotocols.length > 0) {
            builder.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        try {
            client.socket = builder.buildAsync(uri, client).get(20, TimeUnit.SECONDS);
            return client;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                throw h;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            ReceivedFrames.record(path, test, text);
            try (var reader = Json.createReader(new StringReader(text))) {
                messages.add(reader.readObject());
            } catch (RuntimeException e) {
                messages.add(Json.createObjectBuilder().add("type", "__not_json__").add("raw", text).build());
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(new Closed(statusCode, reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(new Closed(1006, String.valueOf(error)));
    }

    public String subprotocol() {
        return socket.getSubprotocol();
    }

    public WsClient send(String text) {
        socket.sendText(text, true).join();
        return this;
    }

    public WsClient sendBinary(byte[] data) {
        socket.sendBinary(ByteBuffer.wrap(data), true).join();
        return this;
    }

    /** The next frame, whatever its type. */
    public JsonObject next(Duration timeout) {
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                JsonObject m = messages.poll(Math.min(200, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)), TimeUnit.MILLISECONDS);
                if (m != null) {
                    return m;
                }
                if (closed.isDone()) {
                    throw new AssertionError("the server closed the connection: " + closed.getNow(null));
                }
                if (System.nanoTime() >= deadline) {
                    throw new AssertionError("no frame within " + timeout);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next frame matching, skipping others (periodic pushes arrive in between). */
    public JsonObject next(Predicate<JsonObject> matching, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no matching frame within " + timeout);
            }
            JsonObject m = next(Duration.ofNanos(left));
            if (matching.test(m)) {
                return m;
            }
        }
    }

    /** Every frame that arrives within {@code window} (none is fine); for "nothing else came" checks. */
    public java.util.List<JsonObject> drain(Duration window) {
        java.util.List<JsonObject> out = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + window.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return out;
                }
                JsonObject m = messages.poll(left, TimeUnit.NANOSECONDS);
                if (m != null) {
                    out.add(m);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public JsonObject nextOfType(String type, Duration timeout) {
        return next(m -> type.equals(m.getString("type", null)), timeout);
    }

    /** Waits for the server to close the connection. */
    public Closed awaitClose(Duration timeout) {
        try {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError("not closed within " + timeout, e);
        }
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public void close() {
        if (socket != null && !socket.isOutputClosed()) {
            try {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
            } catch (InterruptedException | ExecutionException | TimeoutException | CompletionException e) {
                socket.abort();
            }
        }
        if (socket != null) {
            socket.abort();
        }
    }
}
