package dev.switchboard.upload.control;

import dev.switchboard.common.Meters;
import dev.switchboard.service.control.ServiceRegistry;
import dev.switchboard.upload.entity.UploadCompleted;
import dev.switchboard.upload.entity.UploadException;
import dev.switchboard.upload.entity.UploadProgress;
import dev.switchboard.upload.entity.UploadRequest;
import dev.switchboard.upload.entity.UploadSession;
import dev.switchboard.upload.entity.UploadStatus;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Chunked uploads that never lose or corrupt a byte. A chunk is written at its offset in the session's partial
 * file and forced to disk before it is recorded as received; the session row is locked while a chunk is
 * recorded, so chunks from several connections, duplicates and out-of-order ones are all safe. When the last
 * chunk is in, the size is checked, the SHA-256 computed and the file moved atomically into the service's file
 * area: nothing partial ever appears there. Only the owner sees a session; to anyone else it does not exist.
 * <p>
 * Nothing about a session is kept in memory between messages: every message reads (and locks) the row, so any
 * instance on the same database and the same {@link UploadStorage} carries on a session another one started,
 * including one that was killed in the middle of it (its lock ends with its database connection; a chunk it
 * wrote but did not record is simply written again).
 */
@ApplicationScoped
@Transactional(dontRollbackOn = UploadException.class)
public class Uploads {

    public static final String SESSION_NOT_FOUND = "SESSION_NOT_FOUND";
    public static final String SESSION_RESTORE_FAILED = "SESSION_RESTORE_FAILED";
    public static final String INVALID_ENCODING = "INVALID_ENCODING";
    public static final String WRITE_FAILED = "WRITE_FAILED";
    public static final String UPLOAD_START_FAILED = "UPLOAD_START_FAILED";
    /** Not in spec/node.md's list: a chunk for a paused session (documented in the README). */
    public static final String SESSION_PAUSED = "SESSION_PAUSED";
    /** Not in spec/node.md's list: an upload message from a caller without a writing role (documented in the README). */
    public static final String FORBIDDEN = "FORBIDDEN";

    private static final List<UploadStatus> OPEN = List.of(UploadStatus.ACTIVE, UploadStatus.PAUSED);

    @PersistenceContext(unitName = "switchboard")
    EntityManager em;

    private Meters.Counter uploadedBytes;

    @Inject
    void meters(Meters meters) {
        uploadedBytes = meters.counter("switchboard_upload_bytes_total", "Upload chunk bytes written to disk (first receipt of each chunk)");
    }

    /** Made at start-up, so that its counter is on /metrics (at 0) from the first scrape, not from the first upload. */
    void started(@jakarta.enterprise.event.Observes @jakarta.enterprise.context.Initialized(jakarta.enterprise.context.ApplicationScoped.class) Object event) {
        // nothing to do: being made is the point
    }

    @Inject
    ServiceRegistry services;

    @Inject
    UploadStorage storage;

    @Inject
    Event<UploadCompleted> completed;

    @Inject
    @ConfigProperty(name = "upload.max-file-bytes", defaultValue = "10737418240")
    long maxFileBytes;

    @Inject
    @ConfigProperty(name = "upload.max-sessions-per-user", defaultValue = "16")
    long maxSessionsPerUser;

    @Inject
    @ConfigProperty(name = "upload.service-quota-bytes", defaultValue = "107374182400")
    long serviceQuotaBytes;

    @Inject
    @ConfigProperty(name = "upload.fsync", defaultValue = "true")
    boolean fsync;

    public UploadProgress start(String owner, UploadRequest r) throws UploadException {
        if (services.find(r.serviceId()).isEmpty()) {
            throw startFailed("Unknown service " + r.serviceId());
        }
        if (r.totalSize() > maxFileBytes) {
            throw startFailed("total_size is over the limit of " + maxFileBytes + " bytes");
        }
        if (FilePaths.fault(r.filePath()).isPresent()) {
            throw startFailed(FilePaths.fault(r.filePath()).get());
        }
        long open = em.createNamedQuery(UploadSession.OPEN_OF_OWNER, Long.class).setParameter("owner", owner)
                .setParameter("statuses", OPEN).getSingleResult();
        if (open >= maxSessionsPerUser) {
            throw startFailed("Too many open upload sessions (" + maxSessionsPerUser + "); finish or wait for some");
        }
        Number reserved = em.createNamedQuery(UploadSession.RESERVED_FOR_SERVICE, Number.class)
                .setParameter("service", r.serviceId()).setParameter("statuses", OPEN).getSingleResult();
        if (used(r.serviceId()) + reserved.longValue() + r.totalSize() > serviceQuotaBytes) {
            throw startFailed("The service's storage quota of " + serviceQuotaBytes + " bytes would be exceeded");
        }
        UploadSession session = new UploadSession(owner, r);
        try {
            Files.createDirectories(partial(session.id()).getParent());
            Files.newByteChannel(partial(session.id()), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
        } catch (IOException e) {
            throw new UploadException(WRITE_FAILED, session.id(), "Cannot create the upload's file: " + e.getMessage());
        }
        em.persist(session);
        return session.progress();
    }

    public UploadProgress chunk(String owner, String sessionId, int index, ByteBuffer bytes) throws UploadException {
        UploadSession s = owned(owner, sessionId, true);
        if (s.status() == UploadStatus.PAUSED) {
            throw new UploadException(SESSION_PAUSED, sessionId, "The session is paused; resume it first");
        }
        if (s.status() == UploadStatus.COMPLETED) {
            return s.progress();
        }
        if (index < 0 || index >= s.totalChunks()) {
            throw new UploadException(INVALID_ENCODING, sessionId, "chunk_index " + index + " is out of range 0.." + (s.totalChunks() - 1));
        }
        if (bytes.remaining() != s.sizeOf(index)) {
            throw new UploadException(INVALID_ENCODING, sessionId,
                    "Chunk " + index + " has " + bytes.remaining() + " bytes, expected " + s.sizeOf(index));
        }
        if (s.has(index)) {
            if (s.allReceived()) {
                finish(owner, s, partial(sessionId)); // an earlier completion failed: try again
            }
            return s.progress();
        }
        Path part = partial(sessionId);
        try (FileChannel channel = FileChannel.open(part, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = bytes.duplicate();
            long offset = s.offsetOf(index);
            while (buffer.hasRemaining()) {
                offset += channel.write(buffer, offset);
            }
            if (fsync) {
                channel.force(false);
            }
        } catch (IOException e) {
            throw new UploadException(WRITE_FAILED, sessionId, "Failed to write chunk to disk: " + e.getMessage());
        }
        uploadedBytes.add(bytes.remaining());
        s.mark(index);
        if (s.allReceived()) {
            finish(owner, s, part);
        }
        return s.progress();
    }

    private void finish(String owner, UploadSession s, Path part) throws UploadException {
        Path root = filesOf(s.serviceId());
        Path target = FilePaths.inside(root, s.filePath())
                .orElseThrow(() -> new UploadException(WRITE_FAILED, s.id(), "Invalid target path"));
        try {
            long size = Files.size(part);
            if (size != s.totalSize()) {
                throw new UploadException(WRITE_FAILED, s.id(), "Assembled file has " + size + " bytes, expected " + s.totalSize());
            }
            String hash = "sha256:" + sha256(part);
            Files.createDirectories(target.getParent());
            // The file appears under a second name moved over the target, and the partial keeps its own until the
            // session's completion is committed (UploadStorage deletes it then): an instance killed between the move
            // and the commit leaves a session that another instance can still complete from the same partial.
            Path staged = storage.staged(s.id());
            Files.deleteIfExists(staged);
            try {
                Files.createLink(staged, part);
            } catch (UnsupportedOperationException | IOException noLinks) {
                Files.copy(part, staged, StandardCopyOption.REPLACE_EXISTING);
                try (FileChannel copy = FileChannel.open(staged, StandardOpenOption.WRITE)) {
                    copy.force(true);
                }
            }
            // one completion per target at a time in the whole cluster: the later one replaces the earlier, whole
            boolean replaced = storage.exclusively(target, () -> {
                boolean existed = Files.exists(target);
                Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return existed;
            });
            s.complete(hash);
            completed.fire(new UploadCompleted(owner, s.progress(), replaced));
        } catch (IOException e) {
            throw new UploadException(WRITE_FAILED, s.id(), "Failed to complete the file: " + e.getMessage());
        }
    }

    public UploadProgress pause(String owner, String sessionId) throws UploadException {
        UploadSession s = owned(owner, sessionId, true);
        if (s.status() == UploadStatus.ACTIVE) {
            s.pause();
        }
        return s.progress();
    }

    /** Answers with what is already stored; a session whose partial file is gone cannot be restored. */
    public UploadProgress resume(String owner, String sessionId) throws UploadException {
        UploadSession s = owned(owner, sessionId, true);
        if (s.status() == UploadStatus.COMPLETED) {
            return s.progress();
        }
        if (!Files.exists(partial(sessionId))) {
            throw new UploadException(SESSION_RESTORE_FAILED, sessionId, "The session's stored data is gone; start again");
        }
        s.resume();
        return s.progress();
    }

    /**
     * Deletes partial (and staged) files left by sessions that are no longer open, or that have no row, and were not
     * touched since {@code before}: an instance killed after a completion's commit and before its partial's deletion
     * leaves one. At most {@code max} files are looked at per call. @return how many were deleted
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public int deleteOrphans(java.time.Instant before, int max) {
        java.util.Map<String, List<Path>> byId = new java.util.HashMap<>();
        Path dir = storage.partials();
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (java.nio.file.DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.{part,staged}")) {
            int seen = 0;
            for (Path f : files) {
                if (++seen > max) {
                    break;
                }
                String name = f.getFileName().toString();
                if (Files.getLastModifiedTime(f).toInstant().isBefore(before)) {
                    byId.computeIfAbsent(name.substring(0, name.lastIndexOf('.')), k -> new java.util.ArrayList<>()).add(f);
                }
            }
        } catch (IOException e) {
            return 0;
        }
        if (byId.isEmpty()) {
            return 0;
        }
        List<String> open = em.createNamedQuery(UploadSession.OPEN_AMONG, String.class)
                .setParameter("ids", List.copyOf(byId.keySet())).setParameter("statuses", OPEN).getResultList();
        open.forEach(byId::remove);
        int deleted = 0;
        for (List<Path> orphans : byId.values()) {
            for (Path f : orphans) {
                try {
                    deleted += Files.deleteIfExists(f) ? 1 : 0;
                } catch (IOException e) {
                    // tried again at the next sweep
                }
            }
        }
        return deleted;
    }

    /** Expires open sessions idle since {@code before}. @return their ids, for {@link #deletePartials} after commit */
    public List<String> expireIdle(java.time.OffsetDateTime before) {
        List<UploadSession> stale = em.createNamedQuery(UploadSession.STALE, UploadSession.class)
                .setParameter("statuses", OPEN).setParameter("before", before).getResultList();
        stale.forEach(UploadSession::expire);
        return stale.stream().map(UploadSession::id).toList();
    }

    /** Deletes the partial files of sessions already expired (committed), so no client sees a session without data. */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public void deletePartials(List<String> sessionIds) {
        for (String id : sessionIds) {
            try {
                Files.deleteIfExists(partial(id));
            } catch (IOException e) {
                // left for an operator: the session is expired and will not be looked at again
            }
        }
    }

    /** Open (active or paused) sessions: all of them ({@code owner} null), or one user's. */
    public List<UploadSession> openSessions(String owner) {
        return em.createNamedQuery(UploadSession.OPEN, UploadSession.class).setParameter("statuses", OPEN).getResultStream()
                .filter(s -> owner == null || s.ownedBy(owner)).toList();
    }

    /**
     * Cancels an open session: it expires now (its reservation of quota and of the owner's session count ends);
     * call {@link #deletePartials} after the commit. {@code owner} null = any owner (an admin).
     */
    public void cancel(String owner, String sessionId) throws UploadException {
        UploadSession s = sessionId == null ? null : em.find(UploadSession.class, sessionId, LockModeType.PESSIMISTIC_WRITE);
        if (s == null || (owner != null && !s.ownedBy(owner)) || !OPEN.contains(s.status())) {
            throw new UploadException(SESSION_NOT_FOUND, sessionId, "Upload session not found");
        }
        s.expire();
    }

    /** The service's file area (in {@link UploadStorage}, where every instance finds it). */
    public Path filesOf(long serviceId) {
        return storage.filesOf(serviceId);
    }

    private long used(long serviceId) {
        Path root = filesOf(serviceId);
        if (!Files.isDirectory(root)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    private UploadSession owned(String owner, String sessionId, boolean lock) throws UploadException {
        UploadSession s = sessionId == null ? null
                : em.find(UploadSession.class, sessionId, lock ? LockModeType.PESSIMISTIC_WRITE : LockModeType.NONE);
        if (s == null || !s.ownedBy(owner) || s.status() == UploadStatus.EXPIRED) {
            throw new UploadException(SESSION_NOT_FOUND, sessionId, "Upload session not found");
        }
        return s;
    }

    private Path partial(String sessionId) {
        return storage.partial(sessionId);
    }

    private static UploadException startFailed(String message) {
        return new UploadException(UPLOAD_START_FAILED, "", message);
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
