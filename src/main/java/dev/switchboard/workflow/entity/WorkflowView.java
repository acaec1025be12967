package dev.switchboard.workflow.entity;

import java.time.Instant;
import java.util.List;

/** An immutable snapshot of a workflow; {@code status} is its latest execution's, or {@code idle}. */
public record WorkflowView(long id, String name, String description, List<JobDefinition> jobs, String status,
                           Instant createdAt, Instant updatedAt) {
}
