package dev.switchboard.workflow.entity;

import java.util.Locale;

/** A job execution's state; the wire carries the lower-case name. */
public enum JobStatus {
    PENDING, RUNNING, COMPLETED, FAILED, SKIPPED;

    public boolean terminal() {
        return this == COMPLETED || this == FAILED || this == SKIPPED;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
