package dev.switchboard.workflow.entity;

import java.util.List;

/**
 * An execution changed status. Fired synchronously, in order per execution; {@code jobs} are its jobs as they are
 * now, so {@link #finishedJobs()}/{@link #totalJobs()} give progress for dialects that report it.
 */
public record ExecutionChanged(ExecutionView execution, String workflowName, List<JobExecutionView> jobs) {

    public int finishedJobs() {
        return (int) jobs.stream().filter(j -> j.status().terminal()).count();
    }

    public int totalJobs() {
        return jobs.size();
    }
}
