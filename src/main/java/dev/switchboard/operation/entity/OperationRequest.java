package dev.switchboard.operation.entity;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;

import java.util.List;

/**
 * A validated request to start an operation; empty strings and lists where a field does not apply.
 *
 * @param imageName      Docker: the image (tag) to pull, build or register
 * @param repoUrl        git: where to clone from; Docker build: the context, when there is no inline {@code dockerfile}
 * @param ref            git: a branch, tag or commit; empty = the remote's default branch
 * @param dockerfile     Docker build: the Dockerfile's text, the only file of the context
 * @param dockerfilePath Docker build from git: the Dockerfile's path in the repository
 * @param executable     git-clone, git-build: the executable's path in the repository; validate: its absolute path
 * @param buildCommand   git-build: the builder as an argument array, instead of the detected toolchain
 * @param probeArgs      arguments of the validation probe, instead of {@code ops.validate.probe-args}
 * @param sessionId      upload: the completed upload session holding the executable
 * @param timeoutSeconds the whole operation's limit, at most {@code ops.timeout-seconds}
 */
public record OperationRequest(OperationKind kind, String serviceName, String description, String imageName,
                               String repoUrl, String ref, String dockerfile, String dockerfilePath, String executable,
                               List<String> buildCommand, List<String> probeArgs, String sessionId, long timeoutSeconds) {

    /** As stored and shown by {@code GET /api/operations/{id}} (the inline Dockerfile included). */
    public String json() {
        JsonObjectBuilder o = Json.createObjectBuilder().add("service_name", serviceName).add("description", description);
        add(o, "image_name", imageName);
        add(o, "repo_url", repoUrl);
        add(o, "ref", ref);
        add(o, "dockerfile", dockerfile);
        add(o, "dockerfile_path", dockerfilePath);
        add(o, "executable", executable);
        add(o, "session_id", sessionId);
        if (!buildCommand.isEmpty()) {
            o.add("build_command", array(buildCommand));
        }
        if (!probeArgs.isEmpty()) {
            o.add("probe_args", array(probeArgs));
        }
        return o.add("timeout_seconds", timeoutSeconds).build().toString();
    }

    private static void add(JsonObjectBuilder o, String key, String value) {
        if (value != null && !value.isEmpty()) {
            o.add(key, value);
        }
    }

    private static JsonArrayBuilder array(List<String> values) {
        JsonArrayBuilder a = Json.createArrayBuilder();
        values.forEach(a::add);
        return a;
    }
}
