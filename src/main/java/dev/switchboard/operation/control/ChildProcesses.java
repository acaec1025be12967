package dev.switchboard.operation.control;

import dev.switchboard.common.ChildEnvironment;

import dev.switchboard.operation.entity.ErrorCode;
import dev.switchboard.operation.entity.OperationFailure;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a builder or a probe as a child process: an argument array (never a shell string), in the operation's
 * own folder, with a cleared environment that keeps only {@code PATH} ({@code ops.build.path} when set), {@code HOME},
 * {@code LANG} and {@code TZ} — the rule workflow jobs follow — STDIN closed, STDERR merged into STDOUT, each line
 * handed on as it comes. The command is looked up on that {@code PATH} here, not by the JDK, which would search
 * the server's own.
 */
@ApplicationScoped
public class ChildProcesses {

    /** Longest line handed on; longer ones are cut in parts, so one endless line cannot fill the memory. */
    static final int MAX_LINE = 4096;

    /** How a process ended: its exit code, or that it exceeded its own limit (not the operation's). */
    record Exit(int code, boolean timedOut) {
    }

    @Resource
    ManagedThreadFactory threads;

    @Inject
    @ConfigProperty(name = "ops.build.path")
    Optional<String> buildPath;

    @Inject
    @ConfigProperty(name = "ops.stop-grace-seconds", defaultValue = "3")
    long stopGraceSeconds;

    /** The environment every child gets. */
    Map<String, String> environment() {
        Map<String, String> env = ChildEnvironment.from(System.getenv());
        buildPath.filter(p -> !p.isBlank()).ifPresent(p -> env.put("PATH", p));
        return env;
    }

    /** The executable {@code command} names: a path as it is (relative to {@code dir}), a bare name on the children's PATH. */
    Optional<Path> resolve(String command, Path dir) {
        if (command.contains("/")) {
            Path p = dir.resolve(command);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = environment().getOrDefault("PATH", "");
        for (String d : path.split(File.pathSeparator)) {
            if (!d.isEmpty()) {
                Path p = Path.of(d, command);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * @param limitSeconds the process's own limit (a probe's), 0 = only the operation's
     * @param missing      the code to fail with when the command is not found
     * @throws OperationFailure {@code missing} when there is no such command; the run's stop when it was cancelled or timed out
     */
    Exit run(OperationRun run, List<String> argv, Path dir, long limitSeconds, Consumer<String> lines, ErrorCode missing)
            throws OperationFailure {
        Path executable = resolve(argv.get(0), dir).orElseThrow(() -> new OperationFailure(missing,
                argv.get(0) + " was not found on the builders' PATH (" + environment().getOrDefault("PATH", "") + ")"));
        List<String> command = new java.util.ArrayList<>(argv);
        command.set(0, executable.toString());
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(environment());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new OperationFailure(missing, "Cannot start " + argv.get(0) + ": " + e.getMessage());
        }
        Runnable stop = () -> stop(process);
        run.onStop(stop);
        Thread reader = threads.newThread(() -> readLines(process.getInputStream(), lines));
        reader.start();
        try {
            boolean finished = limitSeconds > 0 ? process.waitFor(limitSeconds, TimeUnit.SECONDS) : waitFor(process);
            if (!finished) {
                stop(process);
            }
            // a grandchild that keeps the pipe open must not keep us here
            reader.join(TimeUnit.SECONDS.toMillis(2));
            if (reader.isAlive()) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                closeQuietly(process.getInputStream());
                reader.join(TimeUnit.SECONDS.toMillis(2));
            }
            run.check();
            return new Exit(finished ? process.exitValue() : -1, !finished);
        } catch (InterruptedException e) {
            stop(process);
            Thread.currentThread().interrupt();
            throw new OperationFailure(ErrorCode.INTERRUPTED, "Interrupted: the server is stopping");
        } finally {
            run.removeStop(stop);
        }
    }

    private static boolean waitFor(Process process) throws InterruptedException {
        process.waitFor();
        return true;
    }

    /** The process and everything it started: SIGTERM, then SIGKILL after {@code ops.stop-grace-seconds}. */
    void stop(Process process) {
        List<ProcessHandle> tree = process.descendants().toList();
        tree.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(stopGraceSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        process.descendants().forEach(ProcessHandle::destroyForcibly);
    }

    /** Lines as they come, cut at {@link #MAX_LINE}; a last line without a line break counts too. */
    static void readLines(InputStream in, Consumer<String> lines) {
        try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            char[] buffer = new char[8192];
            StringBuilder line = new StringBuilder();
            for (int n; (n = r.read(buffer)) >= 0; ) {
                for (int i = 0; i < n; i++) {
                    char c = buffer[i];
                    if (c == '\n') {
                        lines.accept(strip(line));
                        line.setLength(0);
                    } else {
                        line.append(c);
                        if (line.length() >= MAX_LINE) {
                            lines.accept(strip(line));
                            line.setLength(0);
                        }
                    }
                }
            }
            if (line.length() > 0) {
                lines.accept(strip(line));
            }
        } catch (IOException e) {
            // the process ended or was stopped
        }
    }

    private static String strip(StringBuilder line) {
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') {
            end--;
        }
        return line.substring(0, end).replace("\u0000", "");
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
