package dev.switchboard.dialect.node;

import dev.switchboard.operation.entity.ErrorCode;
import dev.switchboard.operation.entity.OperationEvent;
import dev.switchboard.operation.entity.OperationKind.Family;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Messages 16–25 of spec/node.md: each operation event's frame has the spec's type and payload fields. */
class OperationFramesTest {

    private static JsonObject frame(OperationEvent e) {
        return Json.createReader(new StringReader(NodeFrames.operation(e).text())).readObject();
    }

    private static JsonObject payload(JsonObject frame, String type, Set<String> fields) {
        assertEquals(type, frame.getString("type"));
        assertTrue(frame.get("timestamp") instanceof jakarta.json.JsonNumber);
        JsonObject p = frame.getJsonObject("payload");
        assertTrue(p.keySet().containsAll(fields), "spec fields " + fields + " in " + p);
        return p;
    }

    @Test
    void dockerMessages() {
        JsonObject pull = payload(frame(new OperationEvent.PullProgressed("op-1", "svc", "img:1", "abc", "Downloading",
                "[==>  ]", 70L, 100L)), "docker.pull.progress", Set.of("service_name", "image_name", "status", "progress", "progress_detail"));
        assertEquals(70, pull.getJsonObject("progress_detail").getInt("current"));
        assertEquals(100, pull.getJsonObject("progress_detail").getInt("total"));
        JsonObject noDetail = frame(new OperationEvent.PullProgressed("op-1", "svc", "img:1", "", "Digest: sha256:x", "", null, null))
                .getJsonObject("payload");
        assertEquals(JsonValue.EMPTY_JSON_OBJECT, noDetail.getJsonObject("progress_detail"));

        JsonObject out = payload(frame(new OperationEvent.BuildOutput("op-1", "svc", "img:1", "Step 1/2 : FROM a\n", "", null)),
                "docker.build.output", Set.of("service_name", "image_name", "stream", "error", "error_detail"));
        assertEquals(JsonValue.NULL, out.get("error_detail"));
        JsonObject failed = frame(new OperationEvent.BuildOutput("op-1", "svc", "img:1", "", "boom", "{\"code\":1,\"message\":\"boom\"}"))
                .getJsonObject("payload");
        assertEquals(1, failed.getJsonObject("error_detail").getInt("code"));

        payload(frame(new OperationEvent.Started("op-1", Family.DOCKER, "build", "svc", "img:1", "", "Starting...")),
                "docker.operation.start", Set.of("operation_id", "operation_type", "service_name", "image_name", "message"));
        JsonObject progress = payload(frame(new OperationEvent.Progressed("op-1", Family.DOCKER, "Building...", 45.55, "building", "Step 5/10\n")),
                "docker.operation.progress", Set.of("operation_id", "message", "percentage", "stream"));
        assertEquals(45.6, progress.getJsonNumber("percentage").doubleValue());
        JsonObject complete = payload(frame(new OperationEvent.Completed("op-1", Family.DOCKER, 42, "svc", "ACTIVE", "img:1", "", "",
                "[{\"interface_type\":\"STDIN\",\"path\":\"\",\"mount_function\":\"\"}]")), "docker.operation.complete",
                Set.of("operation_id", "service_id", "service_name", "image_name", "suggested_interfaces", "service"));
        assertEquals(42, complete.getInt("service_id"));
        assertEquals("ACTIVE", complete.getJsonObject("service").getString("status"));
        JsonObject error = payload(frame(new OperationEvent.Failed("op-1", Family.DOCKER, "Failed to build image", ErrorCode.IMAGE_BUILD_FAILED)),
                "docker.operation.error", Set.of("operation_id", "error", "code"));
        assertEquals("IMAGE_BUILD_FAILED", error.getString("code"));
    }

    @Test
    void standaloneMessages() {
        payload(frame(new OperationEvent.Started("op-2", Family.STANDALONE, "git-clone", "calc", "", "https://x/calc.git", "Cloning...")),
                "standalone.operation.start", Set.of("operation_id", "operation_type", "service_name", "repo_url", "message"));
        JsonObject progress = payload(frame(new OperationEvent.Progressed("op-2", Family.STANDALONE, "Compiling...", 60, "building", "")),
                "standalone.operation.progress", Set.of("operation_id", "message", "percentage", "step"));
        assertTrue(!progress.containsKey("stream"), "no empty stream on standalone progress");
        JsonObject complete = payload(frame(new OperationEvent.Completed("op-2", Family.STANDALONE, 43, "calc", "ACTIVE", "", "/x/calc",
                "abc123", "[]")), "standalone.operation.complete",
                Set.of("operation_id", "service_id", "service_name", "executable_path", "commit_hash", "suggested_interfaces", "service"));
        assertEquals("abc123", complete.getString("commit_hash"));
        payload(frame(new OperationEvent.Failed("op-2", Family.STANDALONE, "Build failed", ErrorCode.BUILD_FAILED)),
                "standalone.operation.error", Set.of("operation_id", "error", "code"));
    }
}
