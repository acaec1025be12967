package dev.switchboard.upload.entity;

/** A file was deleted from a service's file area. */
public record FileDeleted(long serviceId, String filePath, String by) {
}
