package dev.switchboard.common;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * This instance's own folder ({@code switchboard.data-dir}): node identity, generated signing key,
 * and on the embedded default the database. Each instance of a cluster has its own.
 */
@ApplicationScoped
public class DataDirectory {

    @Inject
    @ConfigProperty(name = "switchboard.data-dir", defaultValue = "./data")
    String dataDir;

    public Path resolve(String name) {
        Path root = Path.of(dataDir).toAbsolutePath().normalize();
        try {
            if (!Files.isDirectory(root)) { // a stat, where createDirectories costs an exception per call once it exists
                Files.createDirectories(root);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create data directory " + root, e);
        }
        return root.resolve(name);
    }

    /** Writes a secret so that only this process's user can read it, atomically. */
    public static void writeSecret(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content);
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system; the folder's own permissions apply
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
