package dev.switchboard.it;

import jakarta.json.JsonObject;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/** Drives the node dialect's chunked upload messages over one connection. */
final class Uploader {

    static final Duration T = Duration.ofSeconds(30);
    private final WsClient client;

    Uploader(WsClient client) {
        this.client = client;
    }

    static String startPayload(long serviceId, String group, String filename, String path, int index, int files,
                               long size, int chunks, int chunkSize) {
        return "{\"service_id\":" + serviceId + ",\"upload_group_id\":\"" + group + "\",\"filename\":\"" + filename
                + "\",\"file_path\":\"" + path + "\",\"file_index\":" + index + ",\"total_files\":" + files
                + ",\"total_size\":" + size + ",\"total_chunks\":" + chunks + ",\"chunk_size\":" + chunkSize + "}";
    }

    private final java.util.List<JsonObject> completes = new java.util.ArrayList<>();

    /** Sends a message and returns its answer (progress or error); complete frames are kept for {@link #complete}. */
    JsonObject send(String type, String payload) {
        client.send("{\"type\":\"" + type + "\",\"payload\":" + payload + ",\"timestamp\":1}");
        while (true) {
            JsonObject m = client.next(f -> f.getString("type", "").startsWith("file.upload."), T);
            if (m.getString("type").equals("file.upload.complete")) {
                completes.add(m);
            } else {
                return m;
            }
        }
    }

    /** The {@code file.upload.complete} payload of a session, waiting for it if it has not come yet. */
    JsonObject complete(String session) {
        long deadline = System.nanoTime() + T.toNanos();
        while (true) {
            for (JsonObject c : completes) {
                if (c.getJsonObject("payload").getString("session_id").equals(session)) {
                    return c.getJsonObject("payload");
                }
            }
            completes.add(client.nextOfType("file.upload.complete", java.time.Duration.ofNanos(Math.max(1, deadline - System.nanoTime()))));
        }
    }

    /** @return the session id of a started upload */
    String start(long serviceId, String group, String path, int index, int files, byte[] data, int chunkSize) {
        int chunks = Math.max(1, (data.length + chunkSize - 1) / chunkSize);
        JsonObject r = send("file.upload.start", startPayload(serviceId, group, path.substring(path.lastIndexOf('/') + 1),
                path, index, files, data.length, chunks, chunkSize));
        if (!r.getString("type").equals("file.upload.progress")) {
            throw new AssertionError("start refused: " + r);
        }
        return r.getJsonObject("payload").getString("session_id");
    }

    JsonObject chunk(String session, int index, byte[] data, int chunkSize) {
        int from = index * chunkSize;
        byte[] part = Arrays.copyOfRange(data, from, Math.min(data.length, from + chunkSize));
        return send("file.upload.chunk", "{\"session_id\":\"" + session + "\",\"chunk_index\":" + index
                + ",\"data\":\"" + Base64.getEncoder().encodeToString(part) + "\"}");
    }

    static String sha256(byte[] data) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    static String code(JsonObject answer) {
        if (!answer.getString("type").equals("file.upload.error")) {
            throw new AssertionError("expected an error, got " + answer);
        }
        return answer.getJsonObject("payload").getString("code");
    }
}
