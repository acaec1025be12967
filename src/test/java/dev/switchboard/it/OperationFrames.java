package dev.switchboard.it;

import jakarta.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Every operation frame that reaches one real {@code /api/ws} connection, kept per {@code operation_id} in arrival
 * order (other frames, the periodic pushes, are skipped), so that a test can follow two operations at once.
 */
final class OperationFrames implements AutoCloseable {

    final WsClient client;
    private final Map<String, List<JsonObject>> byOperation = new LinkedHashMap<>();

    OperationFrames(AppServer server, String token) {
        client = WsClient.connect(server.ws("/api/ws?token=" + token));
        client.nextOfType("connected", Duration.ofSeconds(10));
    }

    static boolean isOperationFrame(JsonObject f) {
        String type = f.getString("type", "");
        return type.startsWith("docker.") || type.startsWith("standalone.");
    }

    static boolean terminal(JsonObject f) {
        String type = f.getString("type", "");
        return type.endsWith(".operation.complete") || type.endsWith(".operation.error");
    }

    private void pump(Duration timeout) {
        JsonObject f = client.next(timeout);
        if (isOperationFrame(f)) {
            byOperation.computeIfAbsent(f.getJsonObject("payload").getString("operation_id"), k -> new ArrayList<>()).add(f);
        }
    }

    /** The frames of {@code id} so far, waiting until one of them matches. */
    List<JsonObject> until(String id, Predicate<JsonObject> matching, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<JsonObject> frames = byOperation.getOrDefault(id, List.of());
            if (frames.stream().anyMatch(matching)) {
                return List.copyOf(frames);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no matching frame of " + id + " within " + timeout + "; got " + frames);
            }
            pump(Duration.ofNanos(left));
        }
    }

    /** Every frame of {@code id} up to and including its complete or error frame. */
    List<JsonObject> toEnd(String id, Duration timeout) {
        return until(id, OperationFrames::terminal, timeout);
    }

    @Override
    public void close() {
        client.close();
    }
}
