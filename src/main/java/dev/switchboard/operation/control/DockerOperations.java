package dev.switchboard.operation.control;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.BuildResponseItem;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.api.model.ResponseItem;
import dev.switchboard.operation.entity.ErrorCode;
import dev.switchboard.operation.entity.OperationEvent;
import dev.switchboard.operation.entity.OperationFailure;
import dev.switchboard.operation.entity.OperationKind;
import dev.switchboard.service.control.DockerEngine;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.switchboard.service.control.DockerEngine.reason;

/**
 * Docker operations on the Engine of {@code workflow.docker-host} (the one DOCKER jobs use), through docker-java:
 * {@code pull} with the Engine's per-layer progress, {@code build} from an inline Dockerfile or a git repository
 * with every line of the Engine's build stream, {@code create} from an image the Engine has (pulled when it has
 * not). Each ends with the image inspected, so that the service's suggested interfaces come from its volumes.
 */
@ApplicationScoped
public class DockerOperations {

    private static final Pattern STEP = Pattern.compile("Step (\\d+)/(\\d+) :");

    /** What the Engine says about an image once the operation has it. */
    record Image(String name, List<String> volumes) {
    }

    @Inject
    DockerEngine engines;

    @Inject
    @ConfigProperty(name = "ops.stream.frame-max-chars", defaultValue = "16384")
    int frameMaxChars;

    @Inject
    @ConfigProperty(name = "ops.stream.pull-interval-ms", defaultValue = "200")
    long pullIntervalMs;

    @Inject
    @ConfigProperty(name = "ops.git.timeout-seconds", defaultValue = "120")
    int gitTimeoutSeconds;

    @Inject
    Flusher flusher;

    Image run(OperationRun run) throws OperationFailure {
        String host = engines.host().orElseThrow(() -> new OperationFailure(ErrorCode.DOCKER_UNAVAILABLE,
                DockerEngine.NOT_CONFIGURED));
        DockerClient docker;
        try {
            docker = engines.client(engines.config(host), 4);
        } catch (RuntimeException e) {
            throw new OperationFailure(ErrorCode.DOCKER_UNAVAILABLE, "Invalid Docker host " + host + ": " + reason(e));
        }
        try {
            try {
                docker.pingCmd().exec();
            } catch (RuntimeException e) {
                run.check();
                throw new OperationFailure(ErrorCode.DOCKER_UNAVAILABLE, "Docker Engine at " + host + " is not reachable: " + reason(e));
            }
            String image = run.request.imageName();
            switch (run.request.kind()) {
                case DOCKER_PULL -> {
                    run.progress("pulling", "Pulling " + image + "...", 0, "");
                    pull(docker, run, image, "pulling");
                }
                case DOCKER_BUILD -> build(docker, run, image);
                default -> {
                    run.progress("inspecting", "Inspecting " + image + "...", 0, "");
                    try {
                        docker.inspectImageCmd(image).exec();
                    } catch (NotFoundException missing) {
                        run.log.line("Image " + image + " is not on the Engine: pulling it");
                        pull(docker, run, image, "inspecting");
                    } catch (RuntimeException e) {
                        run.check();
                        throw new OperationFailure(ErrorCode.DOCKER_UNAVAILABLE, "Cannot inspect " + image + ": " + reason(e));
                    }
                }
            }
            run.check();
            return inspect(docker, run, image);
        } finally {
            closeQuietly(docker);
        }
    }

    private Image inspect(DockerClient docker, OperationRun run, String image) throws OperationFailure {
        try {
            InspectImageResponse inspected = docker.inspectImageCmd(image).exec();
            Map<String, ?> volumes = inspected.getConfig() == null || inspected.getConfig().getVolumes() == null
                    ? Map.of() : inspected.getConfig().getVolumes();
            return new Image(image, List.copyOf(volumes.keySet()));
        } catch (RuntimeException e) {
            run.check();
            ErrorCode code = run.request.kind() == OperationKind.DOCKER_BUILD ? ErrorCode.IMAGE_BUILD_FAILED : ErrorCode.IMAGE_PULL_FAILED;
            throw new OperationFailure(code, "The Engine has no image " + image + " after the " + run.request.kind().wire() + ": " + reason(e));
        }
    }

    /** @param step the step the pull is part of ({@code pulling}, or {@code inspecting} for a create) */
    private void pull(DockerClient docker, OperationRun run, String image, String step) throws OperationFailure {
        String[] reference = pullReference(image);
        PullProgress progress = new PullProgress(run, image, step);
        var cmd = docker.pullImageCmd(reference[0]);
        if (reference[1] != null) {
            cmd.withTag(reference[1]);
        }
        Runnable stop = progress::closeQuietly;
        run.onStop(stop);
        try {
            cmd.exec(progress);
            progress.awaitCompletion();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationFailure(ErrorCode.INTERRUPTED, "Interrupted: the server is stopping");
        } catch (RuntimeException e) {
            run.check();
            throw new OperationFailure(ErrorCode.IMAGE_PULL_FAILED, "Cannot pull image " + image + ": " + reason(e));
        } finally {
            run.removeStop(stop);
            progress.closeQuietly();
        }
        run.check();
        if (progress.error != null) {
            throw new OperationFailure(ErrorCode.IMAGE_PULL_FAILED, "Cannot pull image " + image + ": " + progress.error);
        }
        run.progress(step, "Pulled " + image, 90, "");
    }

    private void build(DockerClient docker, OperationRun run, String image) throws OperationFailure {
        Path context;
        Path dockerfile;
        String commit = "";
        try {
            if (!run.request.dockerfile().isEmpty()) {
                context = Files.createDirectories(run.workDir.resolve("context"));
                dockerfile = Files.writeString(context.resolve("Dockerfile"), run.request.dockerfile());
            } else {
                run.progress("cloning", "Cloning Git repository...", 5, "");
                GitCheckout.Checkout checkout = GitCheckout.clone(run, run.repoUrl, run.request.ref(), run.workDir.resolve("src"),
                        gitTimeoutSeconds);
                commit = checkout.commit();
                run.log.line("Cloned " + GitUrls.masked(run.repoUrl) + " at " + commit);
                context = checkout.dir();
                dockerfile = context.resolve(run.request.dockerfilePath().isEmpty() ? "Dockerfile" : run.request.dockerfilePath()).normalize();
                if (!dockerfile.startsWith(context) || !Files.isRegularFile(dockerfile)) {
                    throw new OperationFailure(ErrorCode.IMAGE_BUILD_FAILED, "No Dockerfile at "
                            + (run.request.dockerfilePath().isEmpty() ? "Dockerfile" : run.request.dockerfilePath()) + " in the repository");
                }
                // the Engine needs the sources, not the history
                Folders.deleteTree(context.resolve(".git"));
            }
        } catch (IOException e) {
            throw new OperationFailure(ErrorCode.IMAGE_BUILD_FAILED, "Cannot prepare the build context: " + e.getMessage());
        }
        run.progress("building", "Building Docker image...", 20, commit.isEmpty() ? "" : "Commit " + commit + "\n");
        BuildStream stream = new BuildStream(run, image);
        Runnable stop = stream::closeQuietly;
        run.onStop(stop);
        var flushing = flusher.every(stream.live::flush);
        try {
            // not buildImageCmd(folder): that one insists on <folder>/Dockerfile before the path below is set
            docker.buildImageCmd().withBaseDirectory(context.toFile()).withDockerfile(dockerfile.toFile()).withTags(Set.of(image))
                    .withRemove(true).exec(stream);
            stream.awaitCompletion();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationFailure(ErrorCode.INTERRUPTED, "Interrupted: the server is stopping");
        } catch (RuntimeException e) {
            run.check();
            throw new OperationFailure(ErrorCode.IMAGE_BUILD_FAILED, "Failed to build image " + image + ": " + reason(e));
        } finally {
            flushing.cancel(false);
            run.removeStop(stop);
            stream.closeQuietly();
            stream.live.flush();
        }
        run.check();
        if (stream.error != null) {
            run.fire(new OperationEvent.BuildOutput(run.id, run.request.serviceName(), image, "", stream.error, stream.errorDetail));
            throw new OperationFailure(ErrorCode.IMAGE_BUILD_FAILED, "Failed to build image " + image + ": " + stream.error);
        }
        run.progress("building", "Built " + image, 90, "");
    }

    /** Repository and tag for the Engine's pull: without a tag or digest {@code latest} is meant, as with {@code docker pull}. */
    static String[] pullReference(String image) {
        if (image.contains("@")) {
            return new String[]{image, null};
        }
        int colon = image.lastIndexOf(':');
        if (colon > image.lastIndexOf('/')) {
            return new String[]{image.substring(0, colon), image.substring(colon + 1)};
        }
        return new String[]{image, "latest"};
    }

    /**
     * A layer's share of the whole: downloading is its first half, extracting the second; {@code Already exists},
     * {@code Pull complete} and {@code Download complete} mark the ends.
     */
    static double layerShare(String status, Long current, Long total) {
        double fraction = current != null && total != null && total > 0 ? Math.min(1.0, (double) current / total) : 0;
        return switch (status) {
            case "Downloading" -> 0.5 * fraction;
            case "Verifying Checksum", "Download complete" -> 0.5;
            case "Extracting" -> 0.5 + 0.5 * fraction;
            case "Pull complete", "Already exists" -> 1.0;
            default -> 0;
        };
    }

    /** Every Engine progress item of a pull: a frame per layer and status, updates within a status at most every {@code ops.stream.pull-interval-ms}. */
    private final class PullProgress extends ResultCallback.Adapter<PullResponseItem> {
        private final OperationRun run;
        private final String image;
        private final Map<String, Double> layers = new HashMap<>();
        private final Map<String, String> lastStatus = new HashMap<>();
        private final Map<String, Long> lastSent = new HashMap<>();
        private final String step;
        private long lastPercent = -1;
        volatile String error;

        PullProgress(OperationRun run, String image, String step) {
            this.run = run;
            this.image = image;
            this.step = step;
        }

        @Override
        public void onNext(PullResponseItem item) {
            if (item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null) {
                error = item.getErrorDetail().getMessage();
                run.log.line("ERROR: " + error);
                return;
            }
            if (item.getError() != null) {
                error = item.getError();
                run.log.line("ERROR: " + error);
                return;
            }
            String layer = item.getId() == null ? "" : item.getId();
            String status = item.getStatus() == null ? "" : item.getStatus();
            ResponseItem.ProgressDetail detail = item.getProgressDetail();
            Long current = detail == null ? null : detail.getCurrent();
            Long total = detail == null ? null : detail.getTotal();
            long now = System.nanoTime();
            synchronized (this) {
                boolean changed = !status.equals(lastStatus.get(layer));
                if (!changed && now - lastSent.getOrDefault(layer, 0L) < TimeUnit.MILLISECONDS.toNanos(pullIntervalMs)) {
                    return;
                }
                lastStatus.put(layer, status);
                lastSent.put(layer, now);
                if (changed) {
                    run.log.line((layer.isEmpty() ? "" : layer + ": ") + status);
                }
                run.fire(new OperationEvent.PullProgressed(run.id, run.request.serviceName(), image, layer, status,
                        item.getProgress() == null ? "" : item.getProgress(), current, total));
                if (!layer.isEmpty() && item.getStatus() != null && !status.startsWith("Pulling from")) {
                    layers.put(layer, layerShare(status, current, total));
                }
                if (!layers.isEmpty()) {
                    double share = layers.values().stream().mapToDouble(Double::doubleValue).average().orElse(0);
                    long percent = Math.round(share * 90);
                    if (percent != lastPercent) {
                        lastPercent = percent;
                        run.progress(step, "Pulling " + image + "...", percent, "");
                    }
                }
            }
        }

        void closeQuietly() {
            try {
                close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /** The Engine's build stream: its text to the live output and the log, its error kept for the end. */
    private final class BuildStream extends ResultCallback.Adapter<BuildResponseItem> {
        private final OperationRun run;
        private final String image;
        final LiveOutput live;
        volatile String error;
        volatile String errorDetail;

        BuildStream(OperationRun run, String image) {
            this.run = run;
            this.image = image;
            this.live = new LiveOutput(frameMaxChars, this::send);
        }

        private void send(String text) {
            run.fire(new OperationEvent.BuildOutput(run.id, run.request.serviceName(), image, text, "", null));
            Matcher m = STEP.matcher(text);
            String line = null;
            int step = 0;
            int steps = 0;
            while (m.find()) {
                step = Integer.parseInt(m.group(1));
                steps = Integer.parseInt(m.group(2));
                int end = text.indexOf('\n', m.start());
                line = text.substring(m.start(), end < 0 ? text.length() : end + 1);
            }
            if (line != null && steps > 0) {
                run.progress("building", "Building Docker image...", 20 + Math.round(700.0 * step / steps) / 10.0, line);
            }
        }

        @Override
        public void onNext(BuildResponseItem item) {
            if (item.getErrorDetail() != null || item.getError() != null) {
                error = item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
                        ? item.getErrorDetail().getMessage() : item.getError();
                JsonObject detail = Json.createObjectBuilder()
                        .add("message", error)
                        .add("code", item.getErrorDetail() != null && item.getErrorDetail().getCode() != null
                                ? item.getErrorDetail().getCode() : 0).build();
                errorDetail = detail.toString();
                run.log.line("ERROR: " + error);
                return;
            }
            String text = item.getStream();
            if (text != null) {
                for (String line : text.split("\n", -1)) {
                    if (!line.isEmpty()) {
                        run.log.line(line);
                        live.line(line);
                    }
                }
            }
        }

        void closeQuietly() {
            try {
                close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
