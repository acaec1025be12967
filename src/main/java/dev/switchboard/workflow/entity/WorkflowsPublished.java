package dev.switchboard.workflow.entity;

import java.util.List;

/** The full workflow list, published periodically and soon after changes. */
public record WorkflowsPublished(List<WorkflowView> workflows) {
}
