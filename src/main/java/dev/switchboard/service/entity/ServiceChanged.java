package dev.switchboard.service.entity;

/** A service was created, updated (status included) or deleted. */
public record ServiceChanged(Kind kind, ServiceView service, ServiceStatus previousStatus) {

    public enum Kind { CREATED, UPDATED, DELETED }
}
