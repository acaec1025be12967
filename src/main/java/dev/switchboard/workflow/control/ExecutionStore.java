package dev.switchboard.workflow.control;

import dev.switchboard.workflow.entity.ExecutionStatus;
import dev.switchboard.workflow.entity.ExecutionView;
import dev.switchboard.workflow.entity.JobExecution;
import dev.switchboard.workflow.entity.JobExecutionView;
import dev.switchboard.workflow.entity.JobStatus;
import dev.switchboard.workflow.entity.Workflow;
import dev.switchboard.workflow.entity.WorkflowExecution;
import dev.switchboard.workflow.entity.WorkflowJob;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.Optional;

/**
 * Execution state in the database, one short transaction per change. The engine runs outside any request,
 * so the changes open their own transactions ({@code REQUIRES_NEW}) rather than join a caller's; reads join one
 * or get their own (a container-managed EntityManager outside a transaction is unusable on Batch threads).
 */
@ApplicationScoped
@Transactional
public class ExecutionStore {

    @PersistenceContext(unitName = "switchboard")
    EntityManager em;

    /** Creates a pending execution with one pending job execution per workflow job. */
    @Transactional
    public Optional<ExecutionView> create(long workflowId) {
        Workflow workflow = em.find(Workflow.class, workflowId);
        if (workflow == null) {
            return Optional.empty();
        }
        WorkflowExecution execution = new WorkflowExecution(workflowId);
        em.persist(execution);
        em.flush();
        for (WorkflowJob job : workflow.jobs()) {
            em.persist(new JobExecution(execution.id(), job.id(), job.name()));
        }
        return Optional.of(execution.view());
    }

    public Optional<ExecutionView> find(long executionId) {
        return Optional.ofNullable(em.find(WorkflowExecution.class, executionId)).map(WorkflowExecution::view);
    }

    public List<JobExecutionView> jobs(long executionId) {
        return em.createNamedQuery(JobExecution.OF_EXECUTION, JobExecution.class).setParameter("execution", executionId)
                .getResultStream().map(JobExecution::view).toList();
    }

    /** The service a workflow job runs, 0 when the job is gone. */
    public long serviceOf(long workflowJobId) {
        WorkflowJob job = em.find(WorkflowJob.class, workflowJobId);
        return job == null ? 0 : job.view().serviceId();
    }

    public List<ExecutionView> ofWorkflow(long workflowId) {
        return em.createNamedQuery(WorkflowExecution.OF_WORKFLOW, WorkflowExecution.class).setParameter("workflow", workflowId)
                .setMaxResults(100).getResultStream().map(WorkflowExecution::view).toList();
    }

    /** Executions that were running or waiting when the server stopped, oldest first. */
    public List<Long> unfinished() {
        return em.createNamedQuery(WorkflowExecution.UNFINISHED, WorkflowExecution.class)
                .setParameter("statuses", List.of(ExecutionStatus.PENDING, ExecutionStatus.RUNNING))
                .getResultStream().map(WorkflowExecution::id).toList();
    }

    public Long batchExecutionId(long executionId) {
        WorkflowExecution e = em.find(WorkflowExecution.class, executionId);
        return e == null ? null : e.batchExecutionId();
    }

    public boolean cancelRequested(long executionId) {
        WorkflowExecution e = em.find(WorkflowExecution.class, executionId);
        if (e != null) {
            em.refresh(e);
        }
        return e != null && e.cancelRequested();
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void runBy(long executionId, long batchExecutionId) {
        em.find(WorkflowExecution.class, executionId).runBy(batchExecutionId);
    }

    /** @return the execution after the change, when it changed */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<ExecutionView> move(long executionId, ExecutionStatus status, String error) {
        WorkflowExecution e = em.find(WorkflowExecution.class, executionId);
        return e != null && e.moveTo(status, error) ? Optional.of(e.view()) : Optional.empty();
    }

    /** @return the cancellable state before the request: the execution, unless it had already finished */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<ExecutionView> requestCancel(long executionId) {
        WorkflowExecution e = em.find(WorkflowExecution.class, executionId);
        if (e == null || e.status().terminal()) {
            return Optional.empty();
        }
        e.requestCancel();
        return Optional.of(e.view());
    }

    /** @return the job after the change, when it changed */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<JobExecutionView> moveJob(long executionId, String jobName, JobStatus status, String error,
                                              Integer exitCode, String output) {
        JobExecution job = em.createNamedQuery(JobExecution.OF_EXECUTION, JobExecution.class)
                .setParameter("execution", executionId).getResultStream()
                .filter(j -> j.jobName().equals(jobName)).findFirst().orElse(null);
        return job != null && job.moveTo(status, error, exitCode, output) ? Optional.of(job.view()) : Optional.empty();
    }
}
