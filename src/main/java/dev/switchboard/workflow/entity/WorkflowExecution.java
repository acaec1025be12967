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

/** One run of a workflow; carried out by one Jakarta Batch job instance. */
@Entity
@Table(name = "sb_execution")
@NamedQuery(name = WorkflowExecution.UNFINISHED, query = "SELECT e FROM WorkflowExecution e WHERE e.status IN :statuses ORDER BY e.id")
@NamedQuery(name = WorkflowExecution.OF_WORKFLOW, query = "SELECT e FROM WorkflowExecution e WHERE e.workflowId = :workflow ORDER BY e.id DESC")
public class WorkflowExecution {

    public static final String UNFINISHED = "WorkflowExecution.unfinished";
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

    @Column(name = "created_at", nullable = false)
    private OffsetDateTime createdAt;

    @Column(name = "started_at")
    private OffsetDateTime startedAt;

    @Column(name = "completed_at")
    private OffsetDateTime completedAt;

    protected WorkflowExecution() {
        // JPA
    }

    public WorkflowExecution(long workflowId) {
        this.workflowId = workflowId;
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
