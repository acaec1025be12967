package dev.switchboard.workflow.entity;

/** A job of an execution changed status, with its workflow and the service it runs; fired synchronously, in order per execution. */
public record JobExecutionChanged(JobExecutionView job, long workflowId, long serviceId, int finishedJobs, int totalJobs) {
}
