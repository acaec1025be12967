package dev.switchboard.operation.control;

import dev.switchboard.operation.entity.ErrorCode;
import dev.switchboard.operation.entity.OperationFailure;
import dev.switchboard.operation.entity.OperationKind;
import dev.switchboard.operation.entity.OperationRequest;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The operation domain's plain parts: the bounded log, the live stream, the queue, a run's stops, builder detection, interfaces. */
class OperationPartsTest {

    @TempDir
    Path dir;

    @Test
    void theLogKeepsHeadAndTailWithinItsBudget() {
        BoundedLog log = new BoundedLog(100);
        for (int i = 0; i < 1000; i++) {
            log.line("line " + i);
        }
        String text = log.text();
        assertTrue(log.truncated());
        assertTrue(text.startsWith("line 0\nline 1\n"), text);
        assertTrue(text.endsWith("line 999\n"), text);
        assertTrue(text.contains("left out of the stored log"), text);
        assertTrue(text.length() < 100 + 80, "bounded: " + text.length());
        BoundedLog small = new BoundedLog(100);
        small.line("a");
        small.line("b");
        assertFalse(small.truncated());
        assertEquals("a\nb\n", small.text());
        BoundedLog huge = new BoundedLog(100);
        huge.line("x".repeat(10_000));
        assertTrue(huge.text().length() <= 100, "one huge line is cut");
    }

    @Test
    void theLiveStreamSendsOneFrameAFlushAndSaysWhatItLeftOut() {
        List<String> frames = new ArrayList<>();
        LiveOutput live = new LiveOutput(1024, frames::add);
        live.flush();
        assertTrue(frames.isEmpty(), "nothing gathered, nothing sent");
        live.line("one");
        live.line("two");
        live.flush();
        assertEquals(List.of("one\ntwo\n"), frames);
        for (int i = 0; i < 10_000; i++) {
            live.line("flood " + i);
        }
        live.flush();
        assertEquals(2, frames.size());
        assertTrue(frames.get(1).length() <= 1024, "a frame stays within its size: " + frames.get(1).length());
        assertTrue(frames.get(1).startsWith("flood 0\n"));
        assertTrue(frames.get(1).contains("lines not streamed: output too fast"), frames.get(1));
    }

    @Test
    void theQueueRunsAtMostItsConcurrencyInOrderAndCancelsWaitingOnes() {
        List<Runnable> started = new CopyOnWriteArrayList<>();
        List<String> ran = new CopyOnWriteArrayList<>();
        OperationQueue queue = new OperationQueue(1, started::add);
        assertEquals(0, queue.submit(task("a", ran)));
        assertEquals(1, queue.submit(task("b", ran)));
        assertEquals(2, queue.submit(task("c", ran)));
        assertEquals(1, started.size(), "one at a time");
        assertTrue(queue.remove("b"));
        assertFalse(queue.remove("a"), "a runs: not waiting");
        started.get(0).run();
        assertEquals(2, started.size(), "c follows a; b was cancelled");
        started.get(1).run();
        assertEquals(List.of("a", "c"), ran);
        assertEquals(0, queue.running());
        assertEquals(0, queue.waiting());
    }

    private static OperationQueue.Task task(String id, List<String> ran) {
        return new OperationQueue.Task() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public void run() {
                ran.add(id);
            }
        };
    }

    @Test
    void theRepositoryDeclaresItsBuilder() throws Exception {
        assertTrue(Toolchains.detect(dir, List.of()).isEmpty(), "nothing declared");
        Files.writeString(dir.resolve("Makefile"), "all:\n");
        assertEquals("make", Toolchains.detect(dir, List.of()).orElseThrow().name());
        Files.writeString(dir.resolve("package.json"), "{\"bin\":{\"tool\":\"bin/tool.js\"},\"scripts\":{\"build\":\"tsc\"}}");
        assertEquals("make", Toolchains.detect(dir, List.of()).orElseThrow().name(), "Makefile comes before package.json");
        Files.writeString(dir.resolve("Cargo.toml"), "[package]\nname = \"x\"\n");
        Toolchains.Toolchain cargo = Toolchains.detect(dir, List.of()).orElseThrow();
        assertEquals(List.of(List.of("cargo", "build", "--release")), cargo.commands());
        assertEquals("target/release", cargo.artifactDir());
        assertEquals(List.of(List.of("./build.sh", "--release")),
                Toolchains.detect(dir, List.of("./build.sh", "--release")).orElseThrow().commands(), "a given command wins");
        Path npm = Files.createDirectories(dir.resolve("npm"));
        Files.writeString(npm.resolve("package.json"), "{\"bin\":{\"tool\":\"bin/tool.js\"},\"scripts\":{\"build\":\"tsc\"}}");
        assertEquals(List.of(List.of("npm", "install", "--no-audit", "--no-fund"), List.of("npm", "run", "build")),
                Toolchains.detect(npm, List.of()).orElseThrow().commands());
        assertEquals("bin/tool.js", Toolchains.npmBin(npm).orElseThrow());
    }

    @Test
    void theBuiltExecutableIsTheOneTheBuildMade() throws Exception {
        Path old = exe("configure");
        Map<Path, Long> before = Toolchains.executables(dir, false);
        Path tool = exe("out/tool");
        Files.writeString(dir.resolve("notes.txt"), "not executable");
        exe(".git/hooks/pre-commit");
        assertEquals(tool, Toolchains.pick(before, Toolchains.executables(dir, false), "svc"));
        exe("out/other");
        assertTrue(Toolchains.pick(before, Toolchains.executables(dir, false), "svc") instanceof String why
                && why.contains("several executables"));
        assertEquals(tool, Toolchains.pick(before, Toolchains.executables(dir, false), "tool"), "the one named like the service");
        assertTrue(Toolchains.pick(before, before, "svc") instanceof String none && none.contains("no executable"));
        assertTrue(before.containsKey(old));
    }

    private Path exe(String relative) throws Exception {
        Path p = dir.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, "#!/bin/sh\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void volumesBecomeMountsElseStdinAndStdout() {
        List<JsonObject> mounts = SuggestedInterfaces.forVolumes(List.of("/data/output", "/data/input", "/cache"))
                .getValuesAs(JsonObject.class);
        assertEquals(List.of("/cache", "/data/input", "/data/output"), mounts.stream().map(m -> m.getString("path")).toList());
        assertEquals(List.of("", "INPUT", "OUTPUT"), mounts.stream().map(m -> m.getString("mount_function")).toList());
        assertTrue(mounts.stream().allMatch(m -> m.getString("interface_type").equals("MOUNT")));
        assertEquals(List.of("STDIN", "STDOUT"), SuggestedInterfaces.forVolumes(List.of()).getValuesAs(JsonObject.class).stream()
                .map(m -> m.getString("interface_type")).toList());
    }

    @Test
    void pullShareGrowsThroughDownloadThenExtract() {
        assertEquals(0.25, DockerOperations.layerShare("Downloading", 50L, 100L));
        assertEquals(0.5, DockerOperations.layerShare("Download complete", null, null));
        assertEquals(0.75, DockerOperations.layerShare("Extracting", 50L, 100L));
        assertEquals(1.0, DockerOperations.layerShare("Pull complete", null, null));
        assertEquals(1.0, DockerOperations.layerShare("Already exists", null, null));
        assertEquals(0.0, DockerOperations.layerShare("Waiting", null, null));
    }

    @Test
    void childLinesAreCutAndEndWithoutALineBreakToo() {
        List<String> lines = new ArrayList<>();
        String text = "a\r\nb\n" + "x".repeat(ChildProcesses.MAX_LINE + 10) + "\nlast";
        ChildProcesses.readLines(new java.io.ByteArrayInputStream(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)), lines::add);
        assertEquals(List.of("a", "b", "x".repeat(ChildProcesses.MAX_LINE), "x".repeat(10), "last"), lines);
    }

    private static OperationRun run(Path dir) {
        return new OperationRun("op-t", new OperationRequest(OperationKind.VALIDATE, "s", "", "", "", "", "", "", "/bin/true",
                List.of(), List.of(), "", 60), "u", true, "", dir, 1000, e -> { }, (r, s, m, p) -> { });
    }

    @Test
    void aRunWhoseLeaseIsLostStopsAtOnceWithItsReasonWhileItsStopActionsRunElsewhere() {
        OperationRun run = run(dir);
        List<String> stopped = new CopyOnWriteArrayList<>();
        run.onStop(() -> stopped.add("builder"));
        List<Runnable> later = new ArrayList<>();
        run.stop(ErrorCode.INTERRUPTED, "Interrupted: lost the lease", later::add);
        assertTrue(run.stopping(), "the reason is set at once");
        assertEquals(List.of(), stopped, "the stop actions wait for the executor");
        OperationFailure f = assertThrows(OperationFailure.class, run::check);
        assertEquals(ErrorCode.INTERRUPTED, f.code());
        assertEquals("Interrupted: lost the lease", f.getMessage());
        later.forEach(Runnable::run);
        assertEquals(List.of("builder"), stopped);
        // the first reason stays: a cancel afterwards changes nothing and stops nothing again
        run.stop(ErrorCode.CANCELLED, "admin");
        assertEquals(ErrorCode.INTERRUPTED, run.stopped().code());
        assertEquals(List.of("builder"), stopped);

        OperationRun cancelled = run(dir);
        cancelled.stop(ErrorCode.CANCELLED, "admin");
        assertEquals("Cancelled by admin", cancelled.stopped().getMessage());
        OperationRun late = run(dir);
        late.stop(ErrorCode.TIMEOUT, "");
        assertEquals("Timed out after 60 s", late.stopped().getMessage());
    }
}
