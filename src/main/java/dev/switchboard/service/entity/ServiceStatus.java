package dev.switchboard.service.entity;

/** A service's lifecycle state. */
public enum ServiceStatus {
    ACTIVE, INACTIVE, STARTING, STOPPING, ERROR
}
