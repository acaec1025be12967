package dev.switchboard.operation.entity;

/** An operation's life: waiting for a slot, running, then completed or error (a cancel is an error {@code CANCELLED}). */
public enum OperationStatus {
    QUEUED, RUNNING, COMPLETED, ERROR;

    public boolean terminal() {
        return this == COMPLETED || this == ERROR;
    }

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
