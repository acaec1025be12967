package dev.switchboard.workflow.entity;

import java.time.Instant;

/** An execution as it leaves the domain; timestamps may be null. */
public record ExecutionView(long id, long workflowId, ExecutionStatus status, String error, Instant startedAt, Instant completedAt) {
}
