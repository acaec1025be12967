package dev.switchboard.workflow.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Lob;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/** One job of one execution: status, exit code, captured (bounded) output. */
@Entity
@Table(name = "sb_job_execution")
@NamedQuery(name = JobExecution.OF_EXECUTION, query = "SELECT j FROM JobExecution j WHERE j.executionId = :execution ORDER BY j.id")
public class JobExecution {

    public static final String OF_EXECUTION = "JobExecution.ofExecution";

    @Id
    @SequenceGenerator(name = "sb_job_execution_seq", sequenceName = "sb_execution_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "sb_job_execution_seq")
    private Long id;

    @Column(name = "execution_id", nullable = false)
    private long executionId;

    @Column(name = "workflow_job_id", nullable = false)
    private long workflowJobId;

    @Column(name = "job_name", nullable = false)
    private String jobName;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private JobStatus status = JobStatus.PENDING;

    @Column(nullable = false)
    private String error = "";

    @Column(name = "exit_code")
    private Integer exitCode;

    @Lob
    @Column(nullable = false)
    private String output = "";

    @Column(name = "started_at")
    private OffsetDateTime startedAt;

    @Column(name = "completed_at")
    private OffsetDateTime completedAt;

    protected JobExecution() {
        // JPA
    }

    public JobExecution(long executionId, long workflowJobId, String jobName) {
        this.executionId = executionId;
        this.workflowJobId = workflowJobId;
        this.jobName = jobName;
    }

    public String jobName() {
        return jobName;
    }

    public JobStatus status() {
        return status;
    }

    /** @return whether the status changed */
    public boolean moveTo(JobStatus next, String error, Integer exitCode, String output) {
        if (status == next) {
            return false;
        }
        status = next;
        this.error = error == null ? "" : WorkflowExecution.truncate(error);
        if (exitCode != null) {
            this.exitCode = exitCode;
        }
        if (output != null) {
            this.output = output;
        }
        if (next == JobStatus.RUNNING) {
            startedAt = OffsetDateTime.now();
        }
        if (next.terminal()) {
            completedAt = OffsetDateTime.now();
        }
        return true;
    }

    public JobExecutionView view() {
        return new JobExecutionView(id, workflowJobId, executionId, jobName, status, error, exitCode, output,
                startedAt == null ? null : startedAt.toInstant(), completedAt == null ? null : completedAt.toInstant());
    }
}
