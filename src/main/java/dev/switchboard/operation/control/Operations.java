package dev.switchboard.operation.control;

import dev.switchboard.common.Conflict;
import dev.switchboard.common.DataDirectory;
import dev.switchboard.operation.entity.ErrorCode;
import dev.switchboard.operation.entity.OperationEvent;
import dev.switchboard.operation.entity.OperationFailure;
import dev.switchboard.operation.entity.OperationKind;
import dev.switchboard.operation.entity.OperationKind.Family;
import dev.switchboard.operation.entity.OperationRequest;
import dev.switchboard.operation.entity.OperationView;
import dev.switchboard.ops.control.Faults;
import dev.switchboard.service.control.ServiceRegistry;
import dev.switchboard.service.entity.ServiceType;
import dev.switchboard.service.entity.ServiceView;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.logging.Logger;

/**
 * Starts, runs and cancels operations. At most {@code ops.concurrency} run at once, each on a thread of this
 * bean's own pool, made by the container's managed thread factory: the default managed executor is shared with
 * the sockets' hand-offs, and a ten-minute build must not hold one of its threads. A queued operation's
 * progress says so. Every change is stored, then fired as an {@link OperationEvent}.
 */
@ApplicationScoped
public class Operations {

    private static final Logger LOG = Logger.getLogger(Operations.class.getName());
    /** While a builder writes, its log is stored this often too (besides every step), so GET shows it growing. */
    private static final long LOG_SAVE_MS = 2000;

    /** The operation has ended; it cannot be cancelled any more. */
    public static class Finished extends Conflict {
        public Finished(String status) {
            super("The operation has already ended (" + status + ")");
        }
    }

    @Resource
    ManagedThreadFactory threadFactory;

    @Inject
    @ConfigProperty(name = "ops.concurrency", defaultValue = "2")
    int concurrency;

    @Inject
    @ConfigProperty(name = "ops.log.max-chars", defaultValue = "65536")
    int logMaxChars;

    @Inject
    OperationStore store;

    @Inject
    DockerOperations docker;

    @Inject
    StandaloneOperations standalone;

    @Inject
    ServiceRegistration services;

    @Inject
    Flusher flusher;

    @Inject
    DataDirectory data;

    @Inject
    Faults faults;

    @Inject
    Event<OperationEvent> events;

    private ExecutorService pool;
    private OperationQueue queue;
    private final Map<String, OperationRun> runs = new ConcurrentHashMap<>();

    @PostConstruct
    void init() {
        pool = Executors.newFixedThreadPool(Math.max(1, concurrency), threadFactory);
        queue = new OperationQueue(concurrency, pool);
    }

    @PreDestroy
    void shutdown() {
        // the operations still running are ended as INTERRUPTED at the next start (OperationRecovery)
        pool.shutdownNow();
    }

    /** The folder every operation's own work folder is made in (removed afterwards, emptied at start-up). */
    Path workRoot() {
        return data.resolve("operations");
    }

    /**
     * Stores the operation, tells its watchers it started, and queues it.
     *
     * @param repoUrl the repository URL as given (with credentials, if any); the request holds it masked
     */
    public OperationView start(OperationRequest request, String repoUrl, String owner, boolean admin) {
        String id = "op-" + UUID.randomUUID();
        OperationView view = store.create(id, request, owner);
        LOG.info(() -> "ops.operation.created operation=" + id + " kind=" + request.kind().family().wire() + "." + request.kind().wire()
                + " service=" + request.serviceName() + " owner=" + owner);
        OperationRun run = new OperationRun(id, request, owner, admin, repoUrl, workRoot().resolve(id), logMaxChars, events::fire,
                this::entered);
        runs.put(id, run);
        synchronized (run) {
            // held until the queued progress is out, so that a slot freeing meanwhile cannot overtake it
            run.fire(new OperationEvent.Started(id, request.kind().family(), request.kind().wire(), request.serviceName(),
                    request.imageName(), request.repoUrl(), startMessage(request.kind())));
            int position = queue.submit(new OperationQueue.Task() {
                @Override
                public String id() {
                    return id;
                }

                @Override
                public void run() {
                    execute(run);
                }
            });
            if (position > 0) {
                run.progress("queued", "Queued: waiting for a free slot (" + queue.running() + " running, ops.concurrency="
                        + concurrency + ", " + (position - 1) + " ahead)", 0, "");
            }
        }
        return store.find(id).orElse(view);
    }

    public Optional<OperationView> find(String id) {
        return store.find(id);
    }

    public List<OperationView> latest(int limit) {
        return store.latest(limit);
    }

    /**
     * A queued operation ends at once; a running one is stopped (its child process, clone or Engine stream) and
     * ends when that has happened.
     *
     * @return empty when there is no such operation
     * @throws Finished when it has ended
     */
    public Optional<OperationView> cancel(String id, String by) {
        OperationView view = store.find(id).orElse(null);
        if (view == null) {
            return Optional.empty();
        }
        if (view.status().terminal()) {
            throw new Finished(view.status().wire());
        }
        OperationRun run = runs.get(id);
        if (run == null) {
            throw new Finished(view.status().wire());
        }
        LOG.info(() -> "ops.operation.cancel operation=" + id + " by=" + by);
        if (queue.remove(id)) {
            run.stop(ErrorCode.CANCELLED, by);
            fail(run, run.stopped());
            runs.remove(id);
        } else {
            run.stop(ErrorCode.CANCELLED, by);
        }
        return store.find(id);
    }

    private void execute(OperationRun run) {
        ScheduledFuture<?> limit = null;
        ScheduledFuture<?> saving = null;
        try {
            if (run.stopping()) {
                fail(run, run.stopped());
                return;
            }
            store.change(run.id, o -> o.start());
            limit = flusher.once(() -> run.stop(ErrorCode.TIMEOUT, ""), run.request.timeoutSeconds());
            long[] saved = {0};
            saving = flusher.everyMillis(() -> {
                long lines = run.log.lines();
                if (lines != saved[0]) {
                    saved[0] = lines;
                    try {
                        store.change(run.id, o -> o.log(run.log.text(), run.log.truncated()));
                    } catch (RuntimeException e) { // a failed save must not end the saving: the next one tries again
                        LOG.warning(() -> "ops.operation.log-save-failed operation=" + run.id + " reason=" + e);
                    }
                }
            }, LOG_SAVE_MS);
            Files.createDirectories(run.workDir);
            complete(run);
        } catch (OperationFailure f) {
            fail(run, f);
        } catch (IOException e) {
            fail(run, new OperationFailure(ErrorCode.INTERNAL_ERROR, "Cannot make the operation's folder: " + e.getMessage()));
        } catch (RuntimeException e) {
            String incident = faults.report("operation", "An operation failed inside the server", e);
            fail(run, new OperationFailure(ErrorCode.INTERNAL_ERROR, "Internal error, incident " + incident));
        } finally {
            if (limit != null) {
                limit.cancel(false);
            }
            if (saving != null) {
                saving.cancel(false);
            }
            Folders.deleteTree(run.workDir);
            runs.remove(run.id);
        }
    }

    private void complete(OperationRun run) throws OperationFailure {
        OperationKind kind = run.request.kind();
        ServiceView service;
        String executable = "";
        String commit = "";
        JsonArray interfaces;
        if (kind.family() == Family.DOCKER) {
            DockerOperations.Image image = docker.run(run);
            interfaces = SuggestedInterfaces.forVolumes(image.volumes());
            run.check();
            enter(run, "registering", "Registering service " + run.request.serviceName() + "...", 95);
            service = register(run, ServiceType.DOCKER, Json.createObjectBuilder().add("image", image.name()).build(), interfaces);
        } else {
            StandaloneOperations.Installed installed;
            try {
                installed = standalone.run(run);
                run.check();
            } catch (OperationFailure f) {
                standalone.discard(run);
                throw f;
            }
            executable = installed.executable().toString();
            commit = installed.commit();
            interfaces = SuggestedInterfaces.stdio();
            enter(run, "registering", "Registering service " + run.request.serviceName() + "...", 95);
            var config = Json.createObjectBuilder().add("executable", executable);
            var source = Json.createObjectBuilder().add("operation_id", run.id).add("operation_type", kind.wire());
            if (!run.request.repoUrl().isEmpty()) {
                source.add("repo_url", run.request.repoUrl());
            }
            if (!commit.isEmpty()) {
                source.add("commit", commit);
            }
            service = register(run, ServiceType.STANDALONE, config.add("source", source).build(), interfaces);
            if (kind != OperationKind.VALIDATE) {
                standalone.pruneOlder(run.request.serviceName(), run.id);
            }
        }
        JsonObject result = Json.createObjectBuilder()
                .add("service_id", service.id()).add("service_name", service.name())
                .add("image_name", run.request.imageName()).add("executable_path", executable).add("commit_hash", commit)
                .add("suggested_interfaces", interfaces)
                .add("service", Json.createObjectBuilder().add("id", service.id()).add("name", service.name())
                        .add("status", service.status().name())).build();
        String done = "Service " + service.name() + " is " + service.status().name();
        Folders.deleteTree(run.workDir); // before the end is told: whoever sees it ended sees no work folder
        store.change(run.id, o -> {
            o.log(run.log.text(), run.log.truncated());
            o.complete(result.toString(), service.id(), done);
        });
        LOG.info(() -> "ops.operation.completed operation=" + run.id + " service=" + service.id());
        run.fire(new OperationEvent.Completed(run.id, run.family(), service.id(), service.name(), service.status().name(),
                run.request.imageName(), executable, commit, interfaces.toString()));
    }

    /**
     * Creates or updates the operation's service. Two operations (or a user) may create the same new name at once:
     * the one that loses finds the name taken at its insert; its transaction is rolled back and it registers again,
     * now as an update of the service the other made, instead of ending INTERNAL_ERROR.
     */
    private ServiceView register(OperationRun run, ServiceType type, JsonObject config, JsonArray interfaces) {
        try {
            return services.register(run.request.serviceName(), run.request.description(), type, config, interfaces);
        } catch (ServiceRegistry.DuplicateName raced) {
            LOG.info(() -> "ops.operation.register-raced operation=" + run.id + " service=" + run.request.serviceName());
            return services.register(run.request.serviceName(), run.request.description(), type, config, interfaces);
        }
    }

    private void enter(OperationRun run, String step, String message, double percentage) {
        run.progress(step, message, percentage, "");
    }

    /** A step stored with the log so far (the entity keeps the steps' times; {@code queued} is no planned step). */
    private void entered(OperationRun run, String step, String message, double percentage) {
        store.change(run.id, o -> {
            if (step.equals("queued")) {
                o.progress(message, percentage);
            } else {
                o.enter(step, message, percentage);
            }
            o.log(run.log.text(), run.log.truncated());
        });
    }

    private void fail(OperationRun run, OperationFailure f) {
        LOG.info(() -> "ops.operation.failed operation=" + run.id + " code=" + f.code() + " error=\"" + f.getMessage() + "\"");
        Folders.deleteTree(run.workDir);
        boolean changed = store.change(run.id, o -> {
            o.log(run.log.text(), run.log.truncated());
            o.fail(f.code(), f.getMessage());
        }).isPresent();
        if (changed) {
            run.fire(new OperationEvent.Failed(run.id, run.family(), f.getMessage(), f.code()));
        }
    }

    private static String startMessage(OperationKind kind) {
        return switch (kind) {
            case DOCKER_PULL -> "Starting Docker image pull...";
            case DOCKER_BUILD -> "Starting Docker image build...";
            case DOCKER_CREATE -> "Creating Docker service...";
            case GIT_CLONE -> "Cloning Git repository...";
            case GIT_BUILD -> "Cloning and building Git repository...";
            case VALIDATE -> "Validating executable...";
            case UPLOAD -> "Installing uploaded executable...";
        };
    }
}
