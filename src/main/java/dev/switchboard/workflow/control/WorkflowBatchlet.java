package dev.switchboard.workflow.control;

import dev.switchboard.common.DataDirectory;
import dev.switchboard.service.control.ServiceRegistry;
import dev.switchboard.service.entity.ServiceType;
import dev.switchboard.service.entity.ServiceView;
import dev.switchboard.workflow.entity.ExecutionStatus;
import dev.switchboard.workflow.entity.ExecutionView;
import dev.switchboard.workflow.entity.JobDefinition;
import dev.switchboard.workflow.entity.JobExecutionView;
import dev.switchboard.workflow.entity.JobStatus;
import dev.switchboard.workflow.entity.WorkflowView;

import jakarta.annotation.Resource;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.Batchlet;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one step of {@value ExecutionLauncher#JOB}: runs an execution's jobs in dependency order, independent
 * branches in parallel (at most {@code workflow.parallelism} at once). A failed job skips everything downstream
 * of it and fails the execution; a cancel stops running processes and containers and ends it cancelled. Started again for an
 * execution that was interrupted (server killed) or taken over from a member that died, it resumes: completed jobs
 * stay completed, interrupted ones run again. Should this member lose the execution's lease meanwhile
 * ({@link ExecutionLeases}) it is abandoned: the running jobs are stopped and nothing more is written.
 */
@Named("workflowBatchlet")
@Dependent
public class WorkflowBatchlet implements Batchlet {

    private static final Logger LOG = Logger.getLogger(WorkflowBatchlet.class.getName());

    @Inject
    dev.switchboard.ops.control.Faults faults;

    @Inject
    @BatchProperty(name = ExecutionLauncher.EXECUTION_ID)
    String executionIdParameter;

    @Inject
    ExecutionStore store;

    @Inject
    ExecutionEvents events;

    @Inject
    WorkflowRegistry workflows;

    @Inject
    ServiceRegistry services;

    @Inject
    JobRunner runner;

    @Inject
    ExecutionLeases leases;

    @Inject
    DataDirectory data;

    @Inject
    dev.switchboard.upload.control.Uploads uploads;

    @Resource
    ManagedThreadFactory threads;

    @Inject
    @ConfigProperty(name = "workflow.parallelism", defaultValue = "4")
    int parallelism;

    private volatile boolean stopRequested;
    private volatile boolean abandoned;
    private final RunningJobs running = new RunningJobs();

    @Override
    public String process() throws Exception {
        long executionId = Long.parseLong(executionIdParameter);
        try {
            return run(executionId);
        } finally {
            leases.released(executionId);
        }
    }

    private String run(long executionId) throws Exception {
        ExecutionView execution = store.find(executionId).orElse(null);
        if (execution == null || execution.status().terminal()) {
            return "NOTHING_TO_DO";
        }
        if (!leases.running(executionId, this::abandon)) {
            LOG.warning(() -> "workflow.execution.not-owned execution=" + executionId + ": its lease was lost before it ran");
            return ABANDONED;
        }
        WorkflowView workflow = workflows.find(execution.workflowId()).orElseThrow();
        String name = workflow.name();
        Map<String, JobDefinition> jobs = new LinkedHashMap<>();
        Map<String, List<String>> upstream = new LinkedHashMap<>();
        for (JobDefinition job : workflow.jobs()) {
            jobs.put(job.name(), job);
            upstream.put(job.name(), job.dependsOn());
        }
        WorkflowGraph graph = new WorkflowGraph(upstream);
        Map<String, JobStatus> status = new HashMap<>();
        for (JobExecutionView j : store.jobs(executionId)) {
            status.put(j.jobName(), j.status());
        }
        Path folder = data.resolve("executions/" + executionId);
        Files.createDirectories(folder);

        events.execution(executionId, ExecutionStatus.RUNNING, "", name);
        // a job that was running when the server died runs again
        for (var e : status.entrySet()) {
            if (e.getValue() == JobStatus.RUNNING) {
                events.job(executionId, e.getKey(), JobStatus.PENDING, "Interrupted; running again", null, null);
                e.setValue(JobStatus.PENDING);
            }
        }

        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, parallelism), threads);
        ExecutorCompletionService<Map.Entry<String, JobRunner.Outcome>> done = new ExecutorCompletionService<>(pool);
        int inFlight = 0;
        // a job that failed before the interruption (the crash came before the execution's own end was stored) still fails it
        boolean failed = status.containsValue(JobStatus.FAILED);
        try {
            while (true) {
                if (abandoned || cancelled(executionId)) {
                    break;
                }
                for (String job : jobs.keySet()) {
                    if (status.get(job) == JobStatus.PENDING && inFlight < parallelism
                            && graph.upstreamOf(job).stream().allMatch(u -> status.get(u) == JobStatus.COMPLETED)) {
                        status.put(job, JobStatus.RUNNING);
                        events.job(executionId, job, JobStatus.RUNNING, "", null, null);
                        JobDefinition definition = jobs.get(job);
                        done.submit(() -> Map.entry(job, runJob(executionId, definition, jobs, folder)));
                        inFlight++;
                    }
                }
                if (inFlight == 0) {
                    break;
                }
                Future<Map.Entry<String, JobRunner.Outcome>> next = done.poll(500, TimeUnit.MILLISECONDS);
                if (next == null) {
                    continue;
                }
                inFlight--;
                var result = next.get();
                if (abandoned) {
                    break; // the outcome of a job stopped by the abandon: not this member's to record
                }
                String job = result.getKey();
                JobRunner.Outcome outcome = result.getValue();
                if (outcome.ok()) {
                    status.put(job, JobStatus.COMPLETED);
                    events.job(executionId, job, JobStatus.COMPLETED, "", outcome.exitCode(), outcome.output());
                } else {
                    failed = true;
                    status.put(job, JobStatus.FAILED);
                    events.job(executionId, job, JobStatus.FAILED, outcome.error(), outcome.exitCode(), outcome.output());
                    for (String downstream : graph.downstreamOf(job)) {
                        if (status.get(downstream) == JobStatus.PENDING) {
                            status.put(downstream, JobStatus.SKIPPED);
                            events.job(executionId, downstream, JobStatus.SKIPPED, "Upstream job '" + job + "' failed", null, null);
                        }
                    }
                }
            }
            if (abandoned) {
                stopRunning();
                return ABANDONED;
            }
            if (cancelled(executionId)) {
                stopRunning();
                while (inFlight > 0) {
                    var result = done.take().get();
                    inFlight--;
                    status.put(result.getKey(), JobStatus.FAILED);
                    events.job(executionId, result.getKey(), JobStatus.FAILED, "Cancelled", result.getValue().exitCode(),
                            result.getValue().output());
                }
                skipPending(executionId, status, "Execution cancelled");
                events.execution(executionId, ExecutionStatus.CANCELLED, "Cancelled", name);
                return "CANCELLED";
            }
            if (failed) {
                String failedJobs = String.join(", ", status.entrySet().stream()
                        .filter(e -> e.getValue() == JobStatus.FAILED).map(Map.Entry::getKey).sorted().toList());
                events.execution(executionId, ExecutionStatus.FAILED, "Failed jobs: " + failedJobs, name);
                return "FAILED";
            }
            events.execution(executionId, ExecutionStatus.COMPLETED, "", name);
            return "COMPLETED";
        } catch (RuntimeException | java.util.concurrent.ExecutionException e) {
            if (abandoned) {
                return ABANDONED;
            }
            faults.report("workflow", "Execution " + executionId + " failed inside the server", e);
            stopRunning();
            skipPending(executionId, status, "Execution failed: " + e.getMessage());
            events.execution(executionId, ExecutionStatus.FAILED, "Internal error: " + e.getMessage(), name);
            return "FAILED";
        } finally {
            pool.shutdownNow();
        }
    }

    /** The exit status of a run this member gave up because another member owns the execution now. */
    static final String ABANDONED = "ABANDONED";

    /** The lease is lost: stop what runs here at once; the new owner carries on from the stored states. */
    private void abandon() {
        abandoned = true;
        stopRunning();
    }

    private boolean cancelled(long executionId) {
        return stopRequested || store.cancelRequested(executionId);
    }

    private void skipPending(long executionId, Map<String, JobStatus> status, String why) {
        for (var e : status.entrySet()) {
            if (e.getValue() == JobStatus.PENDING) {
                e.setValue(JobStatus.SKIPPED);
                events.job(executionId, e.getKey(), JobStatus.SKIPPED, why, null, null);
            }
        }
    }

    private JobRunner.Outcome runJob(long executionId, JobDefinition job, Map<String, JobDefinition> jobs, Path folder) {
        try {
            return prepareAndRun(executionId, job, jobs, folder);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "workflow.job.failed job=" + job.name(), e);
            return new JobRunner.Outcome(false, null, "", "Could not run the job: " + e.getMessage());
        }
    }

    private JobRunner.Outcome prepareAndRun(long executionId, JobDefinition job, Map<String, JobDefinition> jobs, Path folder)
            throws IOException {
        ServiceView service = services.find(job.serviceId()).orElse(null);
        if (service == null) {
            return new JobRunner.Outcome(false, null, "", "Service " + job.serviceId() + " no longer exists");
        }
        Path stdin = folder.resolve(job.name() + ".stdin");
        Path stdout = folder.resolve(job.name() + ".stdout");
        Path stderr = folder.resolve(job.name() + ".stderr");
        if (job.pipedFrom().isEmpty()) {
            Files.writeString(stdin, job.input(), StandardCharsets.UTF_8);
        } else {
            try (OutputStream out = Files.newOutputStream(stdin, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING)) {
                for (String upstream : job.pipedFrom()) {
                    Path upstreamOut = folder.resolve(upstream + ".stdout");
                    if (Files.exists(upstreamOut)) {
                        Files.copy(upstreamOut, out);
                    } else {
                        // it ran on the member this execution was taken over from: its captured output is what is left
                        out.write(storedOutput(executionId, upstream).getBytes(StandardCharsets.UTF_8));
                    }
                }
            }
        }
        List<Path> dataDirs = new ArrayList<>();
        for (String upstream : job.dependsOn()) {
            services.find(jobs.get(upstream).serviceId()).filter(s -> s.type() == ServiceType.DATA)
                    .ifPresent(s -> dataDirs.add(uploads.filesOf(s.id())));
        }
        return runner.run(service, job.configJson(), executionId, job.name(), stdin, stdout, stderr, dataDirs, running);
    }

    private String storedOutput(long executionId, String jobName) {
        return store.jobs(executionId).stream().filter(j -> j.jobName().equals(jobName)).findFirst()
                .map(JobExecutionView::output).filter(o -> o != null).orElse("");
    }

    @Override
    public void stop() {
        stopRequested = true;
        stopRunning();
    }

    private void stopRunning() {
        running.stopAll();
    }
}
