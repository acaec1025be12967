package dev.switchboard.upload.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One file being uploaded in chunks: where it goes, its geometry, which chunks are on disk (a bit each).
 * Chunk {@code i} sits at offset {@code i * chunkSize}; every chunk but the last is {@code chunkSize} bytes.
 */
@Entity
@Table(name = "sb_upload_session")
@NamedQuery(name = UploadSession.OPEN_OF_OWNER, query = "SELECT COUNT(u) FROM UploadSession u WHERE u.owner = :owner AND u.status IN :statuses")
@NamedQuery(name = UploadSession.STALE, query = "SELECT u FROM UploadSession u WHERE u.status IN :statuses AND u.updatedAt < :before")
@NamedQuery(name = UploadSession.OPEN, query = "SELECT u FROM UploadSession u WHERE u.status IN :statuses ORDER BY u.createdAt")
@NamedQuery(name = UploadSession.OPEN_AMONG, query = "SELECT u.id FROM UploadSession u WHERE u.id IN :ids AND u.status IN :statuses")
@NamedQuery(name = UploadSession.RESERVED_FOR_SERVICE, query = "SELECT COALESCE(SUM(u.totalSize), 0) FROM UploadSession u WHERE u.serviceId = :service AND u.status IN :statuses")
public class UploadSession {

    public static final String OPEN_OF_OWNER = "UploadSession.openOfOwner";
    public static final String STALE = "UploadSession.stale";
    public static final String OPEN = "UploadSession.open";
    public static final String OPEN_AMONG = "UploadSession.openAmong";
    public static final String RESERVED_FOR_SERVICE = "UploadSession.reservedForService";

    @Id
    private String id;

    @Column(nullable = false)
    private String owner;

    @Column(name = "service_id", nullable = false)
    private long serviceId;

    @Column(name = "upload_group_id", nullable = false)
    private String uploadGroupId;

    @Column(nullable = false)
    private String filename;

    @Column(name = "file_path", nullable = false)
    private String filePath;

    @Column(name = "file_index", nullable = false)
    private int fileIndex;

    @Column(name = "total_files", nullable = false)
    private int totalFiles;

    @Column(name = "total_size", nullable = false)
    private long totalSize;

    @Column(name = "total_chunks", nullable = false)
    private int totalChunks;

    @Column(name = "chunk_size", nullable = false)
    private int chunkSize;

    @Column(nullable = false)
    private byte[] received;

    @Column(name = "chunks_received", nullable = false)
    private int chunksReceived;

    @Column(name = "bytes_received", nullable = false)
    private long bytesReceived;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private UploadStatus status = UploadStatus.ACTIVE;

    @Column(name = "file_hash")
    private String fileHash;

    @Column(name = "created_at", nullable = false)
    private OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    private OffsetDateTime updatedAt;

    protected UploadSession() {
        // JPA
    }

    public UploadSession(String owner, UploadRequest r) {
        this.id = UUID.randomUUID().toString();
        this.owner = owner;
        this.serviceId = r.serviceId();
        this.uploadGroupId = r.uploadGroupId();
        this.filename = r.filename();
        this.filePath = r.filePath();
        this.fileIndex = r.fileIndex();
        this.totalFiles = r.totalFiles();
        this.totalSize = r.totalSize();
        this.totalChunks = r.totalChunks();
        this.chunkSize = r.chunkSize();
        this.received = new byte[(totalChunks + 7) / 8];
        this.createdAt = OffsetDateTime.now();
        this.updatedAt = createdAt;
    }

    public String id() {
        return id;
    }

    public boolean ownedBy(String user) {
        return owner.equals(user);
    }

    public UploadStatus status() {
        return status;
    }

    public long serviceId() {
        return serviceId;
    }

    public String filePath() {
        return filePath;
    }

    public long totalSize() {
        return totalSize;
    }

    public int totalChunks() {
        return totalChunks;
    }

    public long offsetOf(int chunk) {
        return (long) chunk * chunkSize;
    }

    /** The exact size chunk {@code index} must have. */
    public long sizeOf(int index) {
        return index < totalChunks - 1 ? chunkSize : totalSize - (long) (totalChunks - 1) * chunkSize;
    }

    public boolean has(int index) {
        return (received[index >> 3] & (1 << (index & 7))) != 0;
    }

    /** @return false when the chunk was already there (a duplicate is never counted twice) */
    public boolean mark(int index) {
        if (has(index)) {
            return false;
        }
        byte[] copy = received.clone();
        copy[index >> 3] |= (byte) (1 << (index & 7));
        received = copy;
        chunksReceived++;
        bytesReceived += sizeOf(index);
        touch();
        return true;
    }

    public boolean allReceived() {
        return chunksReceived == totalChunks;
    }

    public void pause() {
        status = UploadStatus.PAUSED;
        touch();
    }

    public void resume() {
        status = UploadStatus.ACTIVE;
        touch();
    }

    public void complete(String hash) {
        status = UploadStatus.COMPLETED;
        fileHash = hash;
        touch();
    }

    public void expire() {
        status = UploadStatus.EXPIRED;
        touch();
    }

    public void touch() {
        updatedAt = OffsetDateTime.now();
    }

    public UploadProgress progress() {
        return new UploadProgress(id, chunksReceived, bytesReceived, totalSize == 0 ? 100.0 : Math.min(100.0, bytesReceived * 100.0 / totalSize),
                status, fileHash, serviceId, uploadGroupId, filename, filePath, fileIndex, totalFiles, totalSize);
    }

    public String owner() {
        return owner;
    }

    public String filename() {
        return filename;
    }

    public String uploadGroupId() {
        return uploadGroupId;
    }

    public int chunkSize() {
        return chunkSize;
    }

    /** Which chunks are on disk: bit {@code i & 7} of byte {@code i >> 3} for chunk {@code i} (a copy). */
    public byte[] receivedBitmap() {
        return received.clone();
    }

    public OffsetDateTime createdAt() {
        return createdAt;
    }

    public OffsetDateTime updatedAt() {
        return updatedAt;
    }
}
