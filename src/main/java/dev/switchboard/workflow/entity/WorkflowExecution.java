package dev.switchboard.workflow.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/**
 * One run of a workflow; carried out by one Jakarta Batch job instance on the member of the cluster that owns it
 * ({@code owner}, a peer id) while that member renews its lease. The lease columns are written by
 * {@code ExecutionLeases} in single statements (take, renew), never through this entity after the insert.
 */
@Entity
@Table(name = "sb_execution")
@NamedQuery(name = WorkflowExecution.OF_WORKFLOW, query = "SELECT e FROM WorkflowExecution e WHERE e.workflowId = :workflow ORDER BY e.id DESC")
public class WorkflowExecution {

    public static final String OF_WORKFLOW = "WorkflowExecution.ofWorkflow";

    @Id
    @SequenceGenerator(name = "sb_execution_seq", sequenceName = "sb_execution_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "sb_execution_seq")
    private Long id;

    @Column(name = "workflow_id", nullable = false)
    private long workflowId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private ExecutionStatus status = ExecutionStatus.PENDING;

    @Column(nullable = false)
    private String error = "";

    @Column(name = "cancel_requested", nullable = false)
    private boolean cancelRequested;

    @Column(name = "batch_execution_id")
    private Long batchExecutionId;

    @Column(name = "owner", updatable = false)
    private String owner;

    @Column(name = "lease_expires_at", nullable = false, updatable = false)
    private long leaseExpiresAt;

    @Column(name = "created_at", nullable = false)
    private OffsetDateTime createdAt;

    @Column(name = "started_at")
    private OffsetDateTime startedAt;

    @Column(name = "completed_at")
    private OffsetDateTime completedAt;

    protected WorkflowExecution() {
        // JPA
    }

    /** A pending execution owned from the start by the member that creates it, its lease held until {@code leaseUntil}. */
    public WorkflowExecution(long workflowId, String owner, long leaseUntil) {
        this.workflowId = workflowId;
        this.owner = owner;
        this.leaseExpiresAt = leaseUntil;
        this.createdAt = OffsetDateTime.now();
    }

    public Long id() {
        return id;
    }

    public long workflowId() {
        return workflowId;
    }

    public ExecutionStatus status() {
        return status;
    }

    /** The peer id of the member that runs it (as read: another member may have taken it over since). */
    public String owner() {
        return owner;
    }

    public boolean cancelRequested() {
        return cancelRequested;
    }

    public Long batchExecutionId() {
        return batchExecutionId;
    }

    public void runBy(long batchExecutionId) {
        this.batchExecutionId = batchExecutionId;
    }

    public void requestCancel() {
        this.cancelRequested = true;
    }

    /** @return whether the status changed */
    public boolean moveTo(ExecutionStatus next, String error) {
        if (status == next || status.terminal()) {
            return false;
        }
        status = next;
        this.error = error == null ? "" : truncate(error);
        if (next == ExecutionStatus.RUNNING && startedAt == null) {
            startedAt = OffsetDateTime.now();
        }
        if (next.terminal()) {
            completedAt = OffsetDateTime.now();
        }
        return true;
    }

    public ExecutionView view() {
        return new ExecutionView(id, workflowId, status, error,
                startedAt == null ? null : startedAt.toInstant(), completedAt == null ? null : completedAt.toInstant());
    }

    static String truncate(String s) {
        return s.length() <= 4000 ? s : s.substring(0, 3997) + "...";
    }
}
