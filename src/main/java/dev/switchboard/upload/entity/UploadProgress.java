package dev.switchboard.upload.entity;

/** Where an upload stands; what {@code file.upload.progress} and {@code .complete} carry, and more. */
public record UploadProgress(String sessionId, int chunksReceived, long bytesUploaded, double percentage, UploadStatus status,
                             String fileHash, long serviceId, String uploadGroupId, String filename, String filePath,
                             int fileIndex, int totalFiles, long totalSize) {
}
