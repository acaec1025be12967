package dev.switchboard.dialect.control;

import dev.switchboard.hub.entity.Frame;
import dev.switchboard.workflow.entity.JobExecutionChanged;
import dev.switchboard.workflow.entity.JobExecutionView;
import dev.switchboard.workflow.entity.JobStatus;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ControlFramesTest {

    private static JsonObject json(Frame f) {
        try (var r = Json.createReader(new StringReader(f.text()))) {
            return r.readObject();
        }
    }

    private static JobExecutionChanged finished(String output, String error) {
        return new JobExecutionChanged(new JobExecutionView(1, 2, 3, "step", error.isEmpty() ? JobStatus.COMPLETED : JobStatus.FAILED,
                error, 0, output, Instant.EPOCH, Instant.EPOCH), 4, 5, 1, 2);
    }

    @Test
    void idsAreStableNameBasedUuids() {
        String id = ControlCodec.execution(3);
        assertEquals(id, ControlCodec.execution(3));
        assertEquals(3, UUID.fromString(id).version());
        assertTrue(!id.equals(ControlCodec.workflow(3)), "kinds do not collide");
    }

    @Test
    void progressIsTheShareOfFinishedJobs() {
        JsonObject p = json(ControlFrames.jobProgress(finished("", ""), true));
        assertEquals("job:progress", p.getString("event"));
        assertEquals(50, p.getJsonObject("data").getInt("percent"));
        assertEquals(ControlCodec.workflow(4), p.getJsonObject("data").getString("jobId"));
        assertEquals(ControlCodec.execution(3), p.getJsonObject("data").getString("jobRunId"));
    }

    @Test
    void outputBecomesBoundedLogLinesAndTheErrorAnErrorLine() {
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            big.append("line ").append(i).append('\n');
        }
        List<Frame> frames = ControlFrames.instanceLog(finished(big.toString(), "exit 3"), true);
        assertEquals(ControlFrames.MAX_LOG_LINES + 2, frames.size());
        JsonObject first = json(frames.get(0)).getJsonObject("data");
        assertEquals("line 0", first.getString("message"));
        assertEquals(ControlCodec.service(5), first.getString("instanceId"));
        assertTrue(json(frames.get(frames.size() - 2)).getJsonObject("data").getString("message").contains("300 more lines"));
        JsonObject error = json(frames.get(frames.size() - 1)).getJsonObject("data");
        assertEquals("error", error.getString("level"));
        assertEquals("exit 3", error.getString("message"));
    }

    @Test
    void anonymousReceiversGetTheEventsWithoutOutputOrErrorText() {
        JobExecutionChanged failed = finished("db-password=hunter2\nmore", "Exit code 3: secret stack trace");
        List<Frame> log = ControlFrames.instanceLog(failed, false);
        assertEquals(1, log.size(), "one entry saying output was withheld");
        String text = log.get(0).text();
        assertTrue(text.contains("withheld") && !text.contains("hunter2") && !text.contains("stack trace"), text);
        JsonObject progress = json(ControlFrames.jobProgress(failed, false)).getJsonObject("data");
        assertEquals("Failed step", progress.getString("message"));
        assertEquals("FAILED", progress.getString("stepStatus"));
        assertTrue(ControlFrames.instanceLog(finished("", ""), false).isEmpty(), "nothing to withhold, nothing sent");
        JsonObject fault = json(ControlFrames.systemError(new dev.switchboard.ops.entity.SystemFault("rest",
                "NullPointerException at Secret.java:12", "inc-1", Instant.EPOCH), false)).getJsonObject("data");
        assertEquals("inc-1", fault.getString("errorId"));
        assertEquals(ControlFrames.WITHHELD, fault.getString("message"));
    }
}
