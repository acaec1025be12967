package dev.switchboard.upload.control;

import dev.switchboard.common.DataDirectory;
import dev.switchboard.upload.entity.UploadCompleted;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Where uploads live: {@code upload.storage-dir} (unset = the data directory, as before the key existed) holds the
 * partial files ({@code uploads/<session>.part}) and the services' file areas ({@code services/<id>/files/}). Every
 * instance of a cluster points it at one shared directory, so that a session started on one instance resumes on
 * another and a file uploaded anywhere is served everywhere. What the instances must not do at the same time is
 * serialised by the session's database row (a chunk) or by a file lock in this directory (a completion to a path).
 */
@ApplicationScoped
public class UploadStorage {

    /** Completions are serialised per target path on one of this many lock files (a fixed number: nothing piles up). */
    static final int LOCK_STRIPES = 64;

    @Inject
    DataDirectory data;

    @Inject
    @ConfigProperty(name = "upload.storage-dir")
    Optional<String> storageDir;

    private final Object[] stripes = new Object[LOCK_STRIPES];

    public UploadStorage() {
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Object();
        }
    }

    /** The storage root (created on demand). */
    public Path root() {
        String configured = storageDir.map(String::trim).orElse("");
        if (configured.isEmpty()) {
            return data.resolve("");
        }
        Path root = Path.of(configured).toAbsolutePath().normalize();
        try {
            if (!Files.isDirectory(root)) {
                Files.createDirectories(root);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create upload storage directory " + root, e);
        }
        return root;
    }

    /** The parent of every service's file area. */
    public Path services() {
        return root().resolve("services");
    }

    /** A service's file area. */
    public Path filesOf(long serviceId) {
        return services().resolve(serviceId + "/files");
    }

    /** Where partial files are. */
    public Path partials() {
        return root().resolve("uploads");
    }

    /** The partial file of a session. */
    public Path partial(String sessionId) {
        return partials().resolve(sessionId + ".part");
    }

    /** A second name of a completed partial file, moved over its target (on the same file system as the partial). */
    Path staged(String sessionId) {
        return partials().resolve(sessionId + ".staged");
    }

    /**
     * Once a completion is committed its partial file's name goes (the file itself lives on as the target). Killed
     * before this, the name is an orphan the janitor deletes ({@link Uploads#deleteOrphans}).
     */
    void completed(@Observes(during = TransactionPhase.AFTER_SUCCESS) UploadCompleted done) {
        try {
            Files.deleteIfExists(partial(done.upload().sessionId()));
        } catch (IOException e) {
            // an orphan: the janitor deletes it
        }
    }

    /** Work done while no other thread of this instance and no other instance completes an upload to {@code target}. */
    public interface Exclusive<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code work} holding the lock of {@code target}'s stripe: first this JVM's monitor (a {@link FileLock} is
     * held by the whole process, so two threads of one instance must not both ask for it), then an exclusive lock
     * on the stripe's file, which the other instances on the shared directory respect (POSIX record locks; on NFS
     * they need the lock manager, as every NFS client's locks do).
     */
    public <T> T exclusively(Path target, Exclusive<T> work) throws IOException {
        // by the path inside the storage root: instances may mount the shared directory at different places
        Path root = root();
        Path key = target.normalize().startsWith(root) ? root.relativize(target.normalize()) : target.normalize();
        int stripe = Math.floorMod(key.toString().hashCode(), LOCK_STRIPES);
        Path lockFile = partials().resolve("locks/" + stripe + ".lock");
        synchronized (stripes[stripe]) {
            Files.createDirectories(lockFile.getParent());
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock held = channel.lock()) {
                return work.run();
            }
        }
    }
}
