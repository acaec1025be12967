package dev.switchboard.workflow.control;

import dev.switchboard.common.ChildEnvironment;

import dev.switchboard.service.entity.DockerConfig;
import dev.switchboard.service.entity.ServiceView;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one workflow job by its service's type. STANDALONE: the service's executable (no shell) with the job's
 * input, or the piped upstream jobs' STDOUT, on STDIN, in an environment of its own ({@link #environment}); STDOUT and STDERR go to files in the execution's folder
 * and are captured up to {@code workflow.output.max-bytes}; a non-zero exit or the timeout fails the job.
 * DATA: completes at once, its output is the service's file area for downstream jobs. DOCKER: the same contract
 * with a container instead of a process ({@link ContainerRunner}).
 */
@ApplicationScoped
public class JobRunner {

    /** How a job ended. */
    public record Outcome(boolean ok, Integer exitCode, String output, String error) {
    }

    @Inject
    @ConfigProperty(name = "workflow.output.max-bytes", defaultValue = "65536")
    int maxOutputBytes;

    @Inject
    @ConfigProperty(name = "workflow.job.timeout-seconds", defaultValue = "300")
    long defaultTimeoutSeconds;

    @Inject
    ContainerRunner containers;

    /**
     * @param stdin   the file to feed to STDIN (job input or upstream output), already written
     * @param stdout  where STDOUT goes; downstream jobs may read it
     * @param running receives the job's stop action (process or container) while it runs; a cancel calls them
     */
    public Outcome run(ServiceView service, String jobConfigJson, long executionId, String jobName, Path stdin, Path stdout,
                       Path stderr, List<Path> dataDirs, RunningJobs running) {
        long timeout = parse(jobConfigJson).get("timeout_seconds") instanceof JsonNumber n ? n.longValue() : defaultTimeoutSeconds;
        return switch (service.type()) {
            case STANDALONE -> standalone(service, timeout, stdin, stdout, stderr, dataDirs, running);
            case DATA -> new Outcome(true, 0, "", "");
            case DOCKER -> docker(service, timeout, executionId, jobName, stdin, stdout, stderr, running);
        };
    }

    private Outcome docker(ServiceView service, long timeout, long executionId, String jobName, Path stdin, Path stdout,
                           Path stderr, RunningJobs running) {
        DockerConfig.Parsed config = DockerConfig.parse(parse(service.configJson()));
        if (!config.ok()) {
            return new Outcome(false, null, "", "Invalid DOCKER service config: " + config.faults());
        }
        return containers.run(config.config(), timeout, executionId, jobName, stdin, stdout, stderr, running, this::head);
    }

    private Outcome standalone(ServiceView service, long timeout, Path stdin, Path stdout, Path stderr,
                               List<Path> dataDirs, RunningJobs running) {
        JsonObject config = parse(service.configJson());
        String executable = config.get("executable") instanceof JsonString s ? s.getString() : null;
        if (executable == null || !Files.isExecutable(Path.of(executable))) {
            return new Outcome(false, null, "", "Executable not found or not executable: " + executable);
        }
        ProcessBuilder builder = new ProcessBuilder(executable)
                .redirectInput(stdin.toFile())
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        Map<String, String> env = builder.environment();
        Map<String, String> built = environment(System.getenv(), dataDirs);
        env.clear();
        env.putAll(built);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new Outcome(false, null, "", "Cannot start " + executable + ": " + e.getMessage());
        }
        Runnable stopProcess = () -> stop(process);
        running.add(stopProcess);
        try {
            boolean finished = process.waitFor(timeout, TimeUnit.SECONDS);
            if (!finished) {
                stop(process);
                return new Outcome(false, null, head(stdout), "Timed out after " + timeout + " s");
            }
            int code = process.exitValue();
            String out = head(stdout);
            if (code != 0) {
                String err = head(stderr);
                return new Outcome(false, code, out, "Exit code " + code + (err.isBlank() ? "" : ": " + err.strip()));
            }
            return new Outcome(true, 0, out, "");
        } catch (InterruptedException e) {
            stop(process);
            Thread.currentThread().interrupt();
            return new Outcome(false, null, head(stdout), "Interrupted");
        } finally {
            running.remove(stopProcess);
        }
    }

    /**
     * A STANDALONE job's whole environment: {@link ChildEnvironment}'s variables plus {@code SWITCHBOARD_DATA_DIRS}.
     * A STANDALONE service's config has no variables of its own (only DOCKER's {@code config.env} is defined).
     */
    static Map<String, String> environment(Map<String, String> server, List<Path> dataDirs) {
        Map<String, String> env = ChildEnvironment.from(server);
        env.put("SWITCHBOARD_DATA_DIRS", String.join(java.io.File.pathSeparator, dataDirs.stream().map(Path::toString).toList()));
        return env;
    }

    /** Terminates a process and its children: politely, then for good. */
    public static void stop(Process process) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(3, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String head(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(maxOutputBytes);
            return new String(bytes, StandardCharsets.UTF_8).replace("\u0000", "");
        } catch (IOException e) {
            return "";
        }
    }

    private static JsonObject parse(String json) {
        try (var reader = Json.createReader(new StringReader(json))) {
            return reader.readObject();
        }
    }
}
