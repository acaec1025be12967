package dev.switchboard.faults;

import java.util.List;
import java.util.Set;

/**
 * One dialect as the fuzzer sees it: where to connect, the client messages of its spec (the examples of
 * spec/*.md and asyncapi.yaml, one per client→server type), its inbound frame limit and what its error frame is.
 */
record Target(String name, String path, List<String> seeds, Set<String> types, int maxMessageBytes,
              boolean answersErrors, String errorType, boolean binaryIsValid, int maxTextLength) {

    /** The frame that closes each lockstep step: an unknown type every answering dialect echoes in its error. */
    String barrier(long seq) {
        return "{\"type\":\"zz-barrier-" + seq + "\"}";
    }

    boolean isError(String text) {
        return text.contains("\"type\":\"" + errorType + "\"") || text.contains("\"type\":\"file.upload.error\"");
    }

    static final Set<String> ALL_TYPES = Set.of("ping", "pong", "service.search.request", "file.upload.start",
            "file.upload.chunk", "file.upload.pause", "file.upload.resume", "subscribe", "unsubscribe", "auth",
            "Ping", "Pong", "Subscribe", "Unsubscribe", "Broadcast", "DirectMessage", "Presence", "X-CustomAction",
            "message:send", "presence:update", "typing:indicator", "connected", "error", "Error", "Status",
            "node.status", "execution.updated", "file.upload.progress", "job:created", "agent:heartbeat");

    static List<Target> all(String adminToken) {
        return List.of(
                new Target("node", "/api/ws?token=" + adminToken, List.of(
                        "{\"type\":\"ping\",\"payload\":null,\"timestamp\":1703520000}",
                        "{\"type\":\"pong\",\"payload\":null,\"timestamp\":1703520000}",
                        "{\"type\":\"service.search.request\",\"payload\":{\"query\":\"image\",\"service_type\":\"DOCKER\",\"peer_ids\":[],\"active_only\":true},\"timestamp\":1703520000}",
                        "{\"type\":\"file.upload.start\",\"payload\":{\"service_id\":1,\"upload_group_id\":\"upload-123\",\"filename\":\"data.csv\",\"file_path\":\"datasets/data.csv\",\"file_index\":0,\"total_files\":1,\"total_size\":1048576,\"total_chunks\":10,\"chunk_size\":104857},\"timestamp\":1703520000}",
                        "{\"type\":\"file.upload.chunk\",\"payload\":{\"session_id\":\"session-abc\",\"chunk_index\":0,\"data\":\"YmFzZTY0X2VuY29kZWRfZGF0YQ==\"},\"timestamp\":1703520002}",
                        "{\"type\":\"file.upload.pause\",\"payload\":{\"session_id\":\"session-abc\"},\"timestamp\":1703520003}",
                        "{\"type\":\"file.upload.resume\",\"payload\":{\"session_id\":\"session-abc\"},\"timestamp\":1703520004}"),
                        Set.of("ping", "pong", "service.search.request", "file.upload.start", "file.upload.chunk",
                                "file.upload.pause", "file.upload.resume"),
                        10_485_760, true, "error", false, 0),
                new Target("vault", "/ws", List.of(
                        "{\"type\":\"subscribe\",\"topic\":\"file_operations\"}",
                        "{\"type\":\"unsubscribe\",\"topic\":\"file_operations\"}",
                        "{\"type\":\"subscribe\",\"topic\":\"alerts\",\"data\":{}}",
                        "{\"type\":\"auth\",\"token\":\"eyJhbGciOiJSUzI1NiJ9.e30.sig\"}",
                        "{\"type\":\"auth\",\"data\":{\"token\":\"" + adminToken + "\"}}",
                        "{\"type\":\"ping\",\"data\":{},\"timestamp\":\"2024-01-01T00:00:00.000Z\"}"),
                        Set.of("subscribe", "unsubscribe", "auth", "ping"),
                        1_048_576, true, "error", false, 0),
                new Target("rtc", "/rtc/ws?token=" + adminToken, List.of(
                        "{\"type\":\"Ping\",\"data\":{\"timestamp\":1234567890}}",
                        "{\"type\":\"Pong\",\"data\":{\"timestamp\":1234567890}}",
                        "{\"type\":\"Subscribe\",\"data\":{\"topics\":[\"notifications\",\"chat.general\",\"updates.*\",\"fz.#\"]}}",
                        "{\"type\":\"Unsubscribe\",\"data\":{\"topics\":[\"chat.general\"]}}",
                        "{\"type\":\"Broadcast\",\"data\":{\"topic\":\"chat.general\",\"payload\":{\"message\":\"Hello everyone!\",\"sender\":\"user123\",\"metadata\":{\"mood\":\"happy\"}}},\"id\":\"msg_123456\"}",
                        "{\"type\":\"DirectMessage\",\"data\":{\"target_user\":\"user456\",\"payload\":{\"message\":\"Private message\",\"attachments\":[]}},\"id\":\"dm_789012\",\"metadata\":{\"ttl\":60}}",
                        "{\"type\":\"DirectMessage\",\"data\":{\"target_user\":\"admin\",\"payload\":{\"message\":\"to myself\"}},\"id\":\"dm_1\"}",
                        "{\"type\":\"Presence\",\"data\":{\"status\":\"away\",\"metadata\":{\"device\":\"fuzz\"}}}",
                        "{\"type\":\"X-CustomAction\",\"data\":{\"action\":\"special_operation\",\"parameters\":{}}}",
                        "{\"type\":\"X-Echo\",\"data\":{\"text\":\"hi\"},\"id\":\"e1\",\"timestamp\":1703520000,\"metadata\":{}}"),
                        Set.of("Ping", "Pong", "Subscribe", "Unsubscribe", "Broadcast", "DirectMessage", "Presence"),
                        65_536, true, "Error", true, 256),
                new Target("control", "/control/ws", List.of(
                        "{\"event\":\"job:created\",\"data\":{}}",
                        "{\"type\":\"ping\"}",
                        "{\"event\":\"agent:heartbeat\",\"data\":{\"agentId\":\"x\",\"uptime\":1}}"),
                        Set.of(), 65_536, false, "error", true, 0),
                new Target("workspace", "/workspace/ws?username=", List.of(
                        "{\"type\":\"message:send\",\"text\":\"Hello everyone!\"}",
                        "{\"type\":\"presence:update\",\"status\":\"away\"}",
                        "{\"type\":\"presence:update\",\"status\":\"online\"}",
                        "{\"type\":\"typing:indicator\",\"isTyping\":true}"),
                        Set.of("message:send", "presence:update", "typing:indicator"),
                        1_048_576, true, "error", false, 10_000));
    }
}
