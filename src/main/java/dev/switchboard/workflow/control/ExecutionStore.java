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
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Execution state in the database, one short transaction per change. The engine runs outside any request,
 * so the changes open their own transactions ({@code REQUIRES_NEW}) rather than join a caller's; reads join one
 * or get their own (a container-managed EntityManager outside a transaction is unusable on Batch threads).
 * <p>
 * Status changes are fenced: they lock the execution's row and are refused unless this member still owns it
 * ({@link ExecutionLeases}), so a member that lost an execution's lease (it was paused or cut off for longer than the
 * lease's time to live and another member took over) cannot overwrite what the new owner writes.
 */
@ApplicationScoped
@Transactional
public class ExecutionStore {

    private static final Logger LOG = Logger.getLogger(ExecutionStore.class.getName());

    @PersistenceContext(unitName = "switchboard")
    EntityManager em;

    @Inject
    ExecutionLeases leases;

    /** Creates a pending execution with one pending job execution per workflow job, owned by this member. */
    @Transactional
    public Optional<ExecutionView> create(long workflowId) {
        Workflow workflow = em.find(Workflow.class, workflowId);
        if (workflow == null) {
            return Optional.empty();
        }
        WorkflowExecution execution = new WorkflowExecution(workflowId, leases.owner(), leases.leaseUntil());
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
        WorkflowExecution e = owned(executionId);
        return e != null && e.moveTo(status, error) ? Optional.of(e.view()) : Optional.empty();
    }

    /** The execution, its row locked until the change commits, when this member owns it; else null. */
    private WorkflowExecution owned(long executionId) {
        WorkflowExecution e = em.find(WorkflowExecution.class, executionId, LockModeType.PESSIMISTIC_WRITE);
        if (e == null) {
            return null;
        }
        if (!leases.owner().equals(e.owner())) {
            LOG.warning(() -> "workflow.execution.fenced execution=" + executionId + " owner=" + e.owner()
                    + ": this member lost its lease, the change is not written");
            return null;
        }
        return e;
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
        if (owned(executionId) == null) {
            return Optional.empty();
        }
        JobExecution job = em.createNamedQuery(JobExecution.OF_EXECUTION, JobExecution.class)
                .setParameter("execution", executionId).getResultStream()
                .filter(j -> j.jobName().equals(jobName)).findFirst().orElse(null);
        return job != null && job.moveTo(status, error, exitCode, output) ? Optional.of(job.view()) : Optional.empty();
    }
}
