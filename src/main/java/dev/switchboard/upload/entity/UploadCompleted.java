package dev.switchboard.upload.entity;

/** A file arrived whole in a service's file area; {@code replaced} when it took the place of an older file of that path. */
public record UploadCompleted(String owner, UploadProgress upload, boolean replaced) {
}
