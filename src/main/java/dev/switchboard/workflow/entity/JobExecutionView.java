package dev.switchboard.workflow.entity;

import java.time.Instant;

/** A job execution as it leaves the domain. */
public record JobExecutionView(long id, long workflowJobId, long executionId, String jobName, JobStatus status,
                               String error, Integer exitCode, String output, Instant startedAt, Instant completedAt) {
}
