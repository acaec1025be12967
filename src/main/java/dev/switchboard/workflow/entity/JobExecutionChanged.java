package dev.switchboard.workflow.entity;

/** A job of an execution changed status; fired synchronously, in order per execution. */
public record JobExecutionChanged(JobExecutionView job, int finishedJobs, int totalJobs) {
}
