package dev.switchboard.operation.control;

import dev.switchboard.common.Conflict;
import dev.switchboard.common.DataDirectory;
import dev.switchboard.node.control.NodeIdentity;
import dev.switchboard.operation.entity.ErrorCode;
import dev.switchboard.operation.entity.Operation;
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
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts, runs and cancels operations. At most {@code ops.concurrency} run at once, each on a thread of this
 * bean's own pool, made by the container's managed thread factory: the default managed executor is shared with
 * the sockets' hand-offs, and a ten-minute build must not hold one of its threads. A queued operation's
 * progress says so. Every change is stored, then fired as an {@link OperationEvent}.
 * <p>
 * An operation runs on the member that started it, under a lease on its row ({@code ops.lease-ttl-ms}) that this
 * member renews for all of its operations at once ({@link #renewLeases}, on {@link OperationRecovery}'s thread); a
 * member whose lease has expired is taken for dead and its operations are ended by another. So a run here stops as
 * soon as it learns that its operation has ended elsewhere (a change of it is refused, or the renewal no longer finds
 * it), and every run here stops once no renewal has succeeded for a whole time to live: whatever it would still do,
 * registering a service in particular, could follow an end the users have already been told.
 */
@ApplicationScoped
public class Operations {

    private static final Logger LOG = Logger.getLogger(Operations.class.getName());
    /** Why a run stops whose operation was ended by another member (only logged: that end stands). */
    private static final String ENDED_ELSEWHERE = "ended by another instance: this one had lost its lease";
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
    @ConfigProperty(name = "ops.lease-ttl-ms", defaultValue = "30000")
    long leaseTtlMillis;

    @Inject
    NodeIdentity identity;

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
    private volatile long lastRenewalMillis = System.currentTimeMillis();

    @PostConstruct
    void init() {
        pool = Executors.newFixedThreadPool(Math.max(1, concurrency), threadFactory);
        queue = new OperationQueue(concurrency, pool);
    }

    @PreDestroy
    void shutdown() {
        // the operations still running are ended as INTERRUPTED at this member's next start, or by another member
        // once their leases expire, whichever comes first (OperationRecovery)
        pool.shutdownNow();
    }

    /** This member as the runner of operations: its peer id, which a restart keeps. */
    String runner() {
        return identity.peerId();
    }

    /** The lease's time to live, at least one second. */
    long leaseTtlMillis() {
        return Math.max(1000, leaseTtlMillis);
    }

    /** Whether the operation is queued or running here. */
    boolean runsHere(String id) {
        return runs.containsKey(id);
    }

    /**
     * Renews the leases of every unfinished operation of this member's, in one statement; stops the runs here whose
     * operation another member has ended meanwhile, and all of them once no renewal has succeeded for a whole time
     * to live (their leases have expired: another member may end them any moment).
     */
    void renewLeases() {
        long now = System.currentTimeMillis();
        // taken before the statement: a run put here later has a row the statement may not have seen
        List<String> here = List.copyOf(runs.keySet());
        int renewed;
        try {
            renewed = store.renew(runner(), now + leaseTtlMillis());
        } catch (RuntimeException e) {
            long unrenewed = now - lastRenewalMillis;
            LOG.log(Level.WARNING, "ops.lease.renewal-failed unrenewed-ms=" + unrenewed + " here=" + here.size(), e);
            if (unrenewed >= leaseTtlMillis()) {
                String why = "Interrupted: this instance could not renew its lease on the operation for " + unrenewed
                        + " ms (database unreachable); start it again";
                here.forEach(id -> abandon(id, why));
            }
            return;
        }
        lastRenewalMillis = now;
        if (renewed < here.size()) {
            // fewer unfinished than the runs here: one of them ended elsewhere (or has just ended here)
            Set<String> unfinished = Set.copyOf(store.unfinishedOf(runner()));
            for (String id : here) {
                if (!unfinished.contains(id)) {
                    abandon(id, ENDED_ELSEWHERE);
                }
            }
        }
    }

    /** Stops a run here for good: its end, if it comes to be stored at all, is {@code INTERRUPTED} with {@code why}. */
    private void abandon(String id, String why) {
        OperationRun run = runs.get(id);
        if (run == null || run.stopping() || run.isEnding()) {
            return;
        }
        LOG.severe(() -> "ops.operation.lease.lost operation=" + id + " (" + why + "): stopped here");
        if (queue.remove(id)) {
            run.stop(ErrorCode.INTERRUPTED, why);
            try {
                fail(run, run.stopped());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "ops.operation.end-not-stored operation=" + id, e);
            } finally {
                runs.remove(id);
            }
        } else {
            // the reason at once (the run checks it before registering anything), the builder's stop on a thread of
            // its own: it waits up to ops.stop-grace-seconds, and the caller may be the lease renewal
            run.stop(ErrorCode.INTERRUPTED, why, stops -> threadFactory.newThread(stops).start());
        }
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
        OperationView view = store.create(id, request, owner, runner(), System.currentTimeMillis() + leaseTtlMillis());
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
            run.check(); // entering the step found it ended elsewhere: no service
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
            if (run.stopping()) { // entering the step found it ended elsewhere: no service
                standalone.discard(run);
                run.check();
            }
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
        run.ending();
        boolean completed = store.change(run.id, o -> {
            o.log(run.log.text(), run.log.truncated());
            o.complete(result.toString(), service.id(), done);
        }).isPresent();
        if (!completed) {
            // ended elsewhere after the last check (its lease was lost): that end stands and was told already
            LOG.warning(() -> "ops.operation.fenced operation=" + run.id + " service=" + service.id()
                    + " (ended elsewhere while registering; the service stays as registered)");
            return;
        }
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
        changeOrStop(run, o -> {
            if (step.equals("queued")) {
                o.progress(message, percentage);
            } else {
                o.enter(step, message, percentage);
            }
            o.log(run.log.text(), run.log.truncated());
        });
    }

    /**
     * A change of a running operation; one refused means the operation has ended elsewhere (nothing here ends it
     * before the run does), so the run stops.
     */
    private void changeOrStop(OperationRun run, Consumer<Operation> change) {
        if (store.change(run.id, change).isEmpty()) {
            abandon(run.id, ENDED_ELSEWHERE);
        }
    }

    private void fail(OperationRun run, OperationFailure f) {
        LOG.info(() -> "ops.operation.failed operation=" + run.id + " code=" + f.code() + " error=\"" + f.getMessage() + "\"");
        Folders.deleteTree(run.workDir);
        run.ending();
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
