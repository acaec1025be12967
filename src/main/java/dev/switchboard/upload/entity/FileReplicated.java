package dev.switchboard.upload.entity;

/**
 * A file of a service's file area now also lives on another member. Nothing fires it until clustering replicates
 * files; the dialects already carry it (vault's {@code file_replicated}).
 */
public record FileReplicated(long serviceId, String filePath, String hash, long size, String targetMember) {
}
