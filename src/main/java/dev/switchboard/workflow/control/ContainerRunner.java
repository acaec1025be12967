package dev.switchboard.workflow.control;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import dev.switchboard.service.control.DockerEngine;
import dev.switchboard.service.entity.DockerConfig;
import dev.switchboard.workflow.control.JobRunner.Outcome;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

import static dev.switchboard.service.control.DockerEngine.reason;

/**
 * Runs a DOCKER service's job as a container on the Docker Engine ({@code workflow.docker-host}, else
 * {@code DOCKER_HOST}, else the local socket when there is one), the way {@code docker run -i --rm} would: pull the
 * image when it is missing, create the container with STDIN open and no TTY, attach, start, write the job's input
 * and close STDIN, collect STDOUT and STDERR into the job's files, wait for the exit code, remove the container.
 * A timeout or a cancel stops and removes it. All of it goes through docker-java but the attach itself
 * ({@link ContainerAttach} says why). Every job gets its own Engine client, so a job never inherits a
 * connection that an earlier job left broken.
 */
@ApplicationScoped
public class ContainerRunner {

    private static final Logger LOG = Logger.getLogger(ContainerRunner.class.getName());
    @Resource
    ManagedThreadFactory threads;

    @Inject
    DockerEngine engines;

    @Inject
    @ConfigProperty(name = "workflow.docker.stop-grace-seconds", defaultValue = "3")
    int stopGraceSeconds;

    /**
     * @param running receives the job's stop action while the container exists (cancel calls it)
     */
    public Outcome run(DockerConfig config, long timeoutSeconds, long executionId, String jobName, Path stdin, Path stdout,
                       Path stderr, RunningJobs running, Function<Path, String> head) {
        String host = engines.host().orElse(null);
        if (host == null) {
            return fail(DockerEngine.NOT_CONFIGURED);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        DefaultDockerClientConfig engine;
        DockerClient docker;
        try {
            engine = engines.config(host);
            // wait holds a connection for the container's whole life; stop and remove need more
            docker = engines.client(engine, 8);
        } catch (RuntimeException e) {
            return fail("Invalid Docker host " + host + ": " + reason(e));
        }
        try (docker) {
            try {
                docker.pingCmd().exec();
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "workflow.docker.unreachable host=" + host, e);
                return fail("Docker Engine at " + host + " is not reachable: " + reason(e));
            }
            String problem = ensureImage(docker, config.image(), deadline);
            if (problem != null) {
                return fail(problem);
            }
            if (running.stopping()) {
                return fail("Stopped");
            }
            String id;
            try {
                id = create(docker, config, executionId, jobName).exec().getId();
            } catch (RuntimeException e) {
                return fail("Cannot create a container of " + config.image() + ": " + reason(e));
            }
            LOG.fine(() -> "workflow.docker.created execution=" + executionId + " job=" + jobName + " container=" + id);
            return runContainer(docker, engine, id, timeoutSeconds, deadline, stdin, stdout, stderr, running, head);
        } catch (IOException e) {
            LOG.log(Level.FINE, "workflow.docker.client-close-failed host=" + host, e);
            return fail("Docker client failed: " + e.getMessage());
        }
    }

    private Outcome runContainer(DockerClient docker, DefaultDockerClientConfig engine, String id, long timeoutSeconds,
                                 long deadline, Path stdin, Path stdout, Path stderr, RunningJobs running,
                                 Function<Path, String> head) {
        Container container = new Container(docker, id);
        Runnable stop = container::stop;
        running.add(stop);
        boolean interrupted = false;
        try (InputStream in = Files.newInputStream(stdin);
             OutputStream out = Files.newOutputStream(stdout);
             OutputStream err = Files.newOutputStream(stderr);
             // attached before it starts, so not one byte of its output is missed
             ContainerAttach attach = ContainerAttach.open(engine.getDockerHost(), sslContext(engine), id,
                     engines.connectTimeout())) {
            Streams streams = new Streams(attach, in, out, err, id);
            Thread writer = threads.newThread(streams::sendStdin);
            Thread reader = threads.newThread(streams::copyOutput);
            writer.start();
            reader.start();
            if (!container.start()) {
                return new Outcome(false, null, "", "Stopped");
            }
            WaitContainerResultCallback exit = docker.waitContainerCmd(id).exec(new WaitContainerResultCallback());
            try (exit) {
                if (!exit.awaitCompletion(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    container.stop();
                    reader.join(TimeUnit.SECONDS.toMillis(stopGraceSeconds + 5L));
                    return new Outcome(false, null, head.apply(stdout), "Timed out after " + timeoutSeconds + " s");
                }
                int code = exit.awaitStatusCode();
                // the Engine ends the attach stream when the container exits; let the last frames land
                reader.join(TimeUnit.SECONDS.toMillis(10));
                streams.failure().ifPresent(e -> LOG.log(Level.WARNING, "workflow.docker.output-failed container=" + id, e));
                String output = head.apply(stdout);
                if (container.stopped) {
                    return new Outcome(false, code, output, "Stopped");
                }
                if (code != 0) {
                    String error = head.apply(stderr);
                    return new Outcome(false, code, output, "Exit code " + code + (error.isBlank() ? "" : ": " + error.strip()));
                }
                return new Outcome(true, 0, output, "");
            }
        } catch (InterruptedException e) {
            interrupted = true;
            container.stop();
            return new Outcome(false, null, head.apply(stdout), "Interrupted");
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "workflow.docker.run-failed container=" + id, e);
            return new Outcome(false, null, head.apply(stdout), "Container " + shortId(id) + " failed: " + reason(e));
        } finally {
            running.remove(stop);
            container.remove();
            if (interrupted) {
                // only now: the connection pool refuses to lease to an interrupted thread, and remove needs a lease
                Thread.currentThread().interrupt();
            }
        }
    }

    private static SSLContext sslContext(DefaultDockerClientConfig engine) {
        try {
            return engine.getSSLConfig() == null ? null : engine.getSSLConfig().getSSLContext();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS configuration of the Docker host: " + e.getMessage(), e);
        }
    }

    private CreateContainerCmd create(DockerClient docker, DockerConfig config, long executionId, String jobName) {
        CreateContainerCmd cmd = docker.createContainerCmd(config.image())
                .withLabels(Map.of("switchboard.execution", String.valueOf(executionId), "switchboard.job", jobName))
                .withAttachStdin(true).withAttachStdout(true).withAttachStderr(true)
                // STDIN stays open until the one attached client closes it: that is the job's end of input
                .withStdinOpen(true).withStdInOnce(true)
                .withTty(false);
        if (!config.command().isEmpty()) {
            cmd.withCmd(config.command());
        }
        if (!config.entrypoint().isEmpty()) {
            cmd.withEntrypoint(config.entrypoint());
        }
        if (!config.env().isEmpty()) {
            cmd.withEnv(config.envList());
        }
        if (!config.workingDir().isEmpty()) {
            cmd.withWorkingDir(config.workingDir());
        }
        if (!config.user().isEmpty()) {
            cmd.withUser(config.user());
        }
        return cmd;
    }

    /** Pulls the image when the Engine does not have it; a reason when it cannot be had, else null. */
    private String ensureImage(DockerClient docker, String image, long deadline) {
        try {
            docker.inspectImageCmd(image).exec();
            return null;
        } catch (NotFoundException missing) {
            // pulled below
        } catch (RuntimeException e) {
            return "Cannot inspect image " + image + ": " + reason(e);
        }
        String[] reference = pullReference(image);
        LOG.info(() -> "workflow.docker.pull image=" + image);
        Pull pull = new Pull();
        try (pull) {
            var cmd = docker.pullImageCmd(reference[0]);
            if (reference[1] != null) {
                cmd.withTag(reference[1]);
            }
            cmd.exec(pull);
            if (!pull.awaitCompletion(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                return "Timed out pulling image " + image;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "Interrupted while pulling image " + image;
        } catch (IOException | RuntimeException e) {
            return "Cannot pull image " + image + ": " + reason(e);
        }
        return pull.error == null ? null : "Cannot pull image " + image + ": " + pull.error;
    }

    /**
     * Repository and tag for the Engine's pull: without a tag or digest the Engine would pull every tag, so
     * {@code latest} is meant, as with {@code docker pull}. A digest travels in the repository part.
     */
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

    private static Outcome fail(String error) {
        return new Outcome(false, null, "", error);
    }

    private static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    /** One created container: stop it (a timeout, a cancel) and remove it (always), each at most once. */
    private final class Container {
        private final DockerClient docker;
        private final String id;
        volatile boolean stopped;
        private boolean removed;

        Container(DockerClient docker, String id) {
            this.docker = docker;
            this.id = id;
        }

        /** Starts it unless it was stopped already (a cancel that came while it was being prepared). */
        synchronized boolean start() {
            if (stopped) {
                return false;
            }
            docker.startContainerCmd(id).exec();
            return true;
        }

        void stop() {
            synchronized (this) {
                // waits for a start in progress, so that the stop below reaches a running container
                stopped = true;
            }
            try {
                docker.stopContainerCmd(id).withTimeout(stopGraceSeconds).exec();
                LOG.fine(() -> "workflow.docker.stopped container=" + id);
            } catch (NotModifiedException | NotFoundException alreadyDone) {
                // it had ended, or is gone
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "workflow.docker.stop-failed container=" + id + " reason=" + reason(e));
                remove();
            }
        }

        synchronized void remove() {
            if (removed) {
                return;
            }
            removed = true;
            try {
                docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
                LOG.fine(() -> "workflow.docker.removed container=" + id);
            } catch (NotFoundException gone) {
                // removed by someone else
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "workflow.docker.remove-failed container=" + id + " reason=" + reason(e));
            }
        }
    }

    /** The attach connection's two directions, each on its own thread; a failure is kept for the log. */
    private record Streams(ContainerAttach attach, InputStream in, OutputStream out, OutputStream err, String id,
                           AtomicReference<IOException> failed) {

        Streams(ContainerAttach attach, InputStream in, OutputStream out, OutputStream err, String id) {
            this(attach, in, out, err, id, new AtomicReference<>());
        }

        void sendStdin() {
            try {
                attach.sendStdin(in);
            } catch (IOException e) {
                // a container that exits without reading all of its input closes the stream under the writer
                LOG.fine(() -> "workflow.docker.stdin-ended container=" + id + " reason=" + e.getMessage());
            }
        }

        void copyOutput() {
            try {
                attach.copyOutput(out, err);
            } catch (IOException e) {
                failed.compareAndSet(null, e);
            }
        }

        Optional<IOException> failure() {
            return Optional.ofNullable(failed.get());
        }
    }

    /** Pull progress: only the Engine's error matters here (the stream ends without one on success). */
    private static final class Pull extends ResultCallback.Adapter<PullResponseItem> {
        volatile String error;

        @Override
        public void onNext(PullResponseItem item) {
            if (item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null) {
                error = item.getErrorDetail().getMessage();
            } else if (item.getError() != null) {
                error = item.getError();
            }
        }
    }
}
