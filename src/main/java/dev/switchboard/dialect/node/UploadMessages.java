package dev.switchboard.dialect.node;

import dev.switchboard.upload.control.Uploads;
import dev.switchboard.upload.entity.UploadException;
import dev.switchboard.upload.entity.UploadRequest;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.nio.ByteBuffer;
import java.util.Base64;

/** Reads the node dialect's {@code file.upload.*} payloads; a fault is an {@link UploadException} with the spec's code. */
final class UploadMessages {

    /** A decoded {@code file.upload.chunk}. */
    record Chunk(String sessionId, int index, ByteBuffer data) {
    }

    /** {@code sb_upload_session.upload_group_id} is {@code varchar(128)}. */
    static final int MAX_GROUP_ID = 128;

    private UploadMessages() {
    }

    static UploadRequest start(JsonValue payload) throws UploadException {
        if (!(payload instanceof JsonObject p)) {
            throw failed("payload must be an object");
        }
        long serviceId = integer(p, "service_id", 1, Long.MAX_VALUE);
        String group = text(p, "upload_group_id", true);
        String filename = text(p, "filename", false);
        String filePath = text(p, "file_path", false);
        if (group.length() > MAX_GROUP_ID) {
            // the column's width: longer ones failed the insert inside the server (found by the fault suite's fuzz)
            throw failed("upload_group_id must be at most " + MAX_GROUP_ID + " characters");
        }
        if (filename.isEmpty() || filename.length() > 255 || filename.contains("/") || filename.contains("\\")
                || filename.equals(".") || filename.equals("..") || filename.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw failed("filename must be 1 to 255 characters without '/', '\\\\' or control characters");
        }
        int totalFiles = (int) integer(p, "total_files", 1, 100_000);
        int fileIndex = (int) integer(p, "file_index", 0, totalFiles - 1);
        long totalSize = integer(p, "total_size", 0, Long.MAX_VALUE);
        int totalChunks = (int) integer(p, "total_chunks", 1, 10_000_000);
        int chunkSize = (int) integer(p, "chunk_size", 1, 8 * 1024 * 1024);
        long last = totalSize - (long) (totalChunks - 1) * chunkSize;
        // every chunk but the last is chunk_size; the last holds the rest (spec Example 4 has one a little larger)
        if (last < (totalSize == 0 ? 0 : 1) || last > 2L * chunkSize || (totalSize == 0 && totalChunks != 1)) {
            throw failed("total_size, total_chunks and chunk_size do not fit together");
        }
        return new UploadRequest(serviceId, group.isEmpty() ? "single" : group, filename, filePath, fileIndex, totalFiles,
                totalSize, totalChunks, chunkSize);
    }

    /** @param split the payload's {@code data} when the codec split it off, else {@code null} */
    static Chunk chunk(JsonValue payload, DataSpan split) throws UploadException {
        String sessionId = sessionId(payload);
        JsonObject p = (JsonObject) payload;
        if (!(p.get("chunk_index") instanceof JsonNumber n) || !n.isIntegral() || n.longValue() < 0 || n.longValue() > Integer.MAX_VALUE) {
            throw new UploadException(Uploads.INVALID_ENCODING, sessionId, "chunk_index must be a whole number of at least 0");
        }
        if (!(p.get("data") instanceof JsonString data)) {
            throw new UploadException(Uploads.INVALID_ENCODING, sessionId, "data must be a base64 string");
        }
        try {
            ByteBuffer bytes = split != null ? split.decodeBase64() : ByteBuffer.wrap(Base64.getDecoder().decode(data.getString()));
            return new Chunk(sessionId, (int) n.longValue(), bytes);
        } catch (IllegalArgumentException e) {
            throw new UploadException(Uploads.INVALID_ENCODING, sessionId, "data is not valid base64: " + e.getMessage());
        }
    }

    static String sessionId(JsonValue payload) throws UploadException {
        if (payload instanceof JsonObject p && p.get("session_id") instanceof JsonString s && !s.getString().isBlank()
                && s.getString().length() <= 64) {
            return s.getString();
        }
        throw new UploadException(Uploads.SESSION_NOT_FOUND, "", "session_id must be a non-empty string");
    }

    /** The session a message names, for an error frame about it; empty when it names none. */
    static String sessionIdOrEmpty(JsonValue payload) {
        try {
            return sessionId(payload);
        } catch (UploadException e) {
            return "";
        }
    }

    private static long integer(JsonObject p, String key, long min, long max) throws UploadException {
        if (p.get(key) instanceof JsonNumber n && n.isIntegral() && n.longValue() >= min && n.longValue() <= max) {
            return n.longValue();
        }
        throw failed(key + " must be a whole number from " + min + (max == Long.MAX_VALUE ? "" : " to " + max));
    }

    private static String text(JsonObject p, String key, boolean optional) throws UploadException {
        JsonValue v = p.get(key);
        if (v instanceof JsonString s) {
            return s.getString();
        }
        if (optional && (v == null || v == JsonValue.NULL)) {
            return "";
        }
        throw failed(key + " must be a string");
    }

    private static UploadException failed(String message) {
        return new UploadException(Uploads.UPLOAD_START_FAILED, "", message);
    }
}
