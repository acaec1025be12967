package dev.switchboard.upload.entity;

/** A validated {@code file.upload.start}. */
public record UploadRequest(long serviceId, String uploadGroupId, String filename, String filePath, int fileIndex,
                            int totalFiles, long totalSize, int totalChunks, int chunkSize) {
}
