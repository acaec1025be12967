package dev.switchboard.workflow.entity;

import java.util.Locale;

/** A workflow execution's state; the wire carries the lower-case name. */
public enum ExecutionStatus {
    PENDING, RUNNING, COMPLETED, FAILED, CANCELLED;

    public boolean terminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
