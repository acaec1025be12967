package dev.switchboard.workflow.entity;

/**
 * An execution changed status. Fired synchronously, in order per execution; {@code finishedJobs}/{@code totalJobs}
 * give progress for dialects that report it.
 */
public record ExecutionChanged(ExecutionView execution, String workflowName, int finishedJobs, int totalJobs) {
}
