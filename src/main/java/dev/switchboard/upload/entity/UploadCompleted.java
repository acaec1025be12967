package dev.switchboard.upload.entity;

/** A file arrived whole in a service's file area. */
public record UploadCompleted(String owner, UploadProgress upload) {
}
