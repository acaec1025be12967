package dev.switchboard.workflow.control;

import dev.switchboard.workflow.entity.ExecutionChanged;
import dev.switchboard.workflow.entity.ExecutionStatus;
import dev.switchboard.workflow.entity.ExecutionView;
import dev.switchboard.workflow.entity.JobExecutionChanged;
import dev.switchboard.workflow.entity.JobExecutionView;
import dev.switchboard.workflow.entity.JobStatus;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every status change of an execution and its jobs: stored, then fired, under one lock per execution, so that
 * observers (which only encode and enqueue) see the changes of one execution in the order they happened.
 * The events are synchronous for that reason; no observer may block.
 */
@ApplicationScoped
public class ExecutionEvents {

    @Inject
    ExecutionStore store;

    @Inject
    Event<ExecutionChanged> executionChanged;

    @Inject
    Event<JobExecutionChanged> jobChanged;

    private final ConcurrentHashMap<Long, Object> locks = new ConcurrentHashMap<>();

    private Object lock(long executionId) {
        return locks.computeIfAbsent(executionId, id -> new Object());
    }

    /** A new execution exists (pending, its jobs too); fired before it is launched, so it comes first. */
    public void created(ExecutionView view, String workflowName) {
        synchronized (lock(view.id())) {
            executionChanged.fire(new ExecutionChanged(view, workflowName, store.jobs(view.id())));
        }
    }

    public Optional<ExecutionView> execution(long executionId, ExecutionStatus status, String error, String workflowName) {
        synchronized (lock(executionId)) {
            Optional<ExecutionView> changed = store.move(executionId, status, error);
            changed.ifPresent(view -> executionChanged.fire(new ExecutionChanged(view, workflowName, store.jobs(executionId))));
            if (status.terminal()) {
                locks.remove(executionId);
            }
            return changed;
        }
    }

    public Optional<JobExecutionView> job(long executionId, String jobName, JobStatus status, String error,
                                          Integer exitCode, String output) {
        synchronized (lock(executionId)) {
            Optional<JobExecutionView> changed = store.moveJob(executionId, jobName, status, error, exitCode, output);
            changed.ifPresent(view -> {
                var jobs = store.jobs(executionId);
                int finished = (int) jobs.stream().filter(j -> j.status().terminal()).count();
                long workflowId = store.find(executionId).map(ExecutionView::workflowId).orElse(0L);
                jobChanged.fire(new JobExecutionChanged(view, workflowId, store.serviceOf(view.workflowJobId()), finished, jobs.size()));
            });
            return changed;
        }
    }
}
