package dev.switchboard.upload.control;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UploadStorageTest {

    @TempDir
    Path dir;

    private UploadStorage storage(Path root) {
        UploadStorage s = new UploadStorage();
        s.storageDir = Optional.of(root.toString());
        return s;
    }

    @Test
    void partialsAndFileAreasAreUnderTheConfiguredRoot() {
        UploadStorage s = storage(dir.resolve("shared"));
        assertEquals(dir.resolve("shared/uploads/abc.part"), s.partial("abc"));
        assertEquals(dir.resolve("shared/services/7/files"), s.filesOf(7));
        assertTrue(dir.resolve("shared").toFile().isDirectory(), "made on demand");
    }

    @Test
    void oneTargetIsCompletedByOneThreadAtATimeUnderAFileLock() throws Exception {
        UploadStorage s = storage(dir);
        Path target = s.filesOf(1).resolve("a/b.bin");
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        Runnable complete = () -> {
            try {
                for (int i = 0; i < 50; i++) {
                    s.exclusively(target, () -> {
                        most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        java.util.concurrent.locks.LockSupport.parkNanos(200_000);
                        inside.decrementAndGet();
                        return null;
                    });
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        CompletableFuture.allOf(CompletableFuture.runAsync(complete), CompletableFuture.runAsync(complete),
                CompletableFuture.runAsync(complete)).join();
        assertEquals(1, most.get());

        // while inside, the stripe's lock file is locked for the whole process (other processes wait on it)
        s.exclusively(target, () -> {
            Path locks = s.partials().resolve("locks");
            try (var files = java.nio.file.Files.list(locks)) {
                Path lockFile = files.findFirst().orElseThrow();
                try (FileChannel other = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
                    assertThrows(OverlappingFileLockException.class, other::tryLock);
                }
            }
            return null;
        });
    }

    @Test
    void theStripeIsChosenByThePathInsideTheRootWhereverTheRootIsMounted() throws Exception {
        UploadStorage here = storage(dir.resolve("one"));
        UploadStorage there = storage(dir.resolve("two"));
        Path[] used = new Path[2];
        here.exclusively(here.filesOf(3).resolve("x.bin"), () -> {
            try (var f = java.nio.file.Files.list(here.partials().resolve("locks"))) {
                used[0] = f.findFirst().orElseThrow().getFileName();
            }
            return null;
        });
        there.exclusively(there.filesOf(3).resolve("x.bin"), () -> {
            try (var f = java.nio.file.Files.list(there.partials().resolve("locks"))) {
                used[1] = f.findFirst().orElseThrow().getFileName();
            }
            return null;
        });
        assertEquals(used[0], used[1]);
    }
}
