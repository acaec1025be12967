package dev.switchboard.upload.entity;

/** An upload session's state. */
public enum UploadStatus {
    ACTIVE, PAUSED, COMPLETED, EXPIRED
}
