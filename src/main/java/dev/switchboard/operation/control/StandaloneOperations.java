package dev.switchboard.operation.control;

import dev.switchboard.common.DataDirectory;
import dev.switchboard.operation.entity.ErrorCode;
import dev.switchboard.operation.entity.OperationFailure;
import dev.switchboard.operation.entity.OperationKind;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.stream.Stream;

/**
 * Standalone operations: {@code git-clone} (check out a repository, keep it, its named executable is the
 * service), {@code git-build} (check out, build with the toolchain the repository declares, keep the one
 * executable it made), {@code validate} (an executable already on the host), {@code upload} (an executable that
 * arrived through the chunked upload). Whatever is kept goes to {@code <data-dir>/executables/<service>/<operation>/};
 * every one is validated before it becomes a service.
 */
@ApplicationScoped
public class StandaloneOperations {

    /** Where the service's executable is and which commit it came from (empty when not from git). */
    record Installed(Path executable, String commit) {
    }

    @Inject
    ChildProcesses processes;

    @Inject
    Flusher flusher;

    @Inject
    DataDirectory data;

    @Inject
    OperationStore store;

    @Inject
    @ConfigProperty(name = "ops.validate.probe-args")
    Optional<String> probeArgs;

    @Inject
    @ConfigProperty(name = "ops.validate.timeout-seconds", defaultValue = "10")
    long probeTimeoutSeconds;

    @Inject
    @ConfigProperty(name = "ops.git.timeout-seconds", defaultValue = "120")
    int gitTimeoutSeconds;

    @Inject
    @ConfigProperty(name = "ops.stream.frame-max-chars", defaultValue = "16384")
    int frameMaxChars;

    Installed run(OperationRun run) throws OperationFailure {
        return switch (run.request.kind()) {
            case GIT_CLONE -> gitClone(run);
            case GIT_BUILD -> gitBuild(run);
            case VALIDATE -> {
                Path exe = Path.of(run.request.executable());
                validate(run, exe);
                yield new Installed(exe, "");
            }
            case UPLOAD -> upload(run);
            default -> throw new IllegalArgumentException(run.request.kind().name());
        };
    }

    private GitCheckout.Checkout checkout(OperationRun run) throws OperationFailure {
        run.progress("cloning", "Cloning Git repository...", 10, "");
        run.log.line("Cloning " + GitUrls.masked(run.repoUrl) + (run.request.ref().isEmpty() ? "" : " (" + run.request.ref() + ")"));
        GitCheckout.Checkout c = GitCheckout.clone(run, run.repoUrl, run.request.ref(), run.workDir.resolve("src"), gitTimeoutSeconds);
        run.log.line("Checked out " + c.commit());
        run.progress("cloning", "Cloned commit " + c.commit(), 25, "");
        return c;
    }

    private Installed gitClone(OperationRun run) throws OperationFailure {
        GitCheckout.Checkout c = checkout(run);
        Path target = inside(c.dir(), run.request.executable(), ErrorCode.VALIDATION_FAILED);
        Path install = installDir(run);
        try {
            Folders.deleteTree(c.dir().resolve(".git"));
            copyTree(c.dir(), install);
        } catch (IOException e) {
            throw new OperationFailure(ErrorCode.GIT_CLONE_FAILED, "Cannot keep the checkout: " + e.getMessage());
        }
        Path exe = install.resolve(c.dir().relativize(target));
        validate(run, exe);
        return new Installed(exe, c.commit());
    }

    private Installed gitBuild(OperationRun run) throws OperationFailure {
        GitCheckout.Checkout c = checkout(run);
        Path repo = c.dir();
        Toolchains.Toolchain tool = Toolchains.detect(repo, run.request.buildCommand()).orElseThrow(() ->
                new OperationFailure(ErrorCode.BUILD_FAILED, "No build file found at the top of the repository (Cargo.toml, "
                        + "go.mod, Makefile, pom.xml or package.json); name the builder with \"build_command\""));
        Path artifactDir = repo.resolve(tool.artifactDir());
        Map<Path, Long> before = Toolchains.executables(artifactDir, tool.topLevelOnly());
        String message = "Building with " + tool.name() + "...";
        run.progress("building", message, 30, "");
        for (List<String> command : tool.commands()) {
            run.log.line("$ " + String.join(" ", command));
            ChildProcesses.Exit exit = runStreaming(run, command, repo, 0, "building", message, 30, ErrorCode.BUILD_FAILED);
            if (exit.code() != 0) {
                throw new OperationFailure(ErrorCode.BUILD_FAILED, "Build failed: " + String.join(" ", command)
                        + " returned exit code " + exit.code() + lastLine(run));
            }
        }
        Path built;
        Optional<String> named = Optional.of(run.request.executable()).filter(s -> !s.isEmpty())
                .or(() -> tool.name().equals("npm") ? Toolchains.npmBin(repo) : Optional.empty());
        if (named.isPresent()) {
            built = inside(repo, named.get(), ErrorCode.BUILD_FAILED);
            if (tool.name().equals("npm")) {
                built.toFile().setExecutable(true);
            }
        } else {
            Object picked = Toolchains.pick(before, Toolchains.executables(artifactDir, tool.topLevelOnly()), run.request.serviceName());
            if (picked instanceof String why) {
                throw new OperationFailure(ErrorCode.BUILD_FAILED, why);
            }
            built = (Path) picked;
        }
        run.log.line("Built " + repo.relativize(built));
        Path exe = install(run, built, built.getFileName().toString());
        validate(run, exe);
        return new Installed(exe, c.commit());
    }

    private Installed upload(OperationRun run) throws OperationFailure {
        Path file = store.uploadedFile(run.request.sessionId(), run.owner).orElseThrow(() -> new OperationFailure(
                ErrorCode.VALIDATION_FAILED, "No completed upload " + run.request.sessionId() + " of yours (or its file is gone)"));
        Path exe = install(run, file, file.getFileName().toString());
        validate(run, exe);
        return new Installed(exe, "");
    }

    /** The executable, its probe and the outcome: existing, a regular file, executable, exit 0 within the limit. */
    private void validate(OperationRun run, Path exe) throws OperationFailure {
        String message = "Validating " + exe.getFileName() + "...";
        run.progress("validating", message, 90, "");
        if (!Files.exists(exe)) {
            throw new OperationFailure(ErrorCode.VALIDATION_FAILED, exe + " does not exist");
        }
        if (!Files.isRegularFile(exe)) {
            throw new OperationFailure(ErrorCode.VALIDATION_FAILED, exe + " is not a regular file");
        }
        if (!Files.isExecutable(exe)) {
            throw new OperationFailure(ErrorCode.VALIDATION_FAILED, exe + " is not executable");
        }
        List<String> args = run.request.probeArgs().isEmpty() ? dev.switchboard.common.ConfigLists.split(probeArgs) : run.request.probeArgs();
        List<String> argv = new ArrayList<>();
        argv.add(exe.toString());
        argv.addAll(args);
        Path dir;
        try {
            dir = Files.createDirectories(run.workDir.resolve("probe"));
        } catch (IOException e) {
            throw new OperationFailure(ErrorCode.VALIDATION_FAILED, "Cannot make the probe's folder: " + e.getMessage());
        }
        run.log.line("$ " + String.join(" ", argv) + " < /dev/null");
        ChildProcesses.Exit exit = runStreaming(run, argv, dir, probeTimeoutSeconds, "validating", message, 90, ErrorCode.VALIDATION_FAILED);
        if (exit.timedOut()) {
            throw new OperationFailure(ErrorCode.VALIDATION_FAILED, exe.getFileName() + " did not answer the probe within "
                    + probeTimeoutSeconds + " s");
        }
        if (exit.code() != 0) {
            throw new OperationFailure(ErrorCode.VALIDATION_FAILED, exe.getFileName() + " answered the probe"
                    + (args.isEmpty() ? "" : " " + String.join(" ", args)) + " with exit code " + exit.code() + lastLine(run));
        }
    }

    private ChildProcesses.Exit runStreaming(OperationRun run, List<String> argv, Path dir, long limit, String step,
                                             String message, double percentage, ErrorCode missing) throws OperationFailure {
        LiveOutput live = new LiveOutput(frameMaxChars, text -> run.progress(step, message, percentage, text));
        ScheduledFuture<?> flushing = flusher.every(live::flush);
        try {
            return processes.run(run, argv, dir, limit, line -> {
                run.log.line(line);
                live.line(line);
            }, missing);
        } finally {
            flushing.cancel(false);
            live.flush();
        }
    }

    /** The last line of the log, as the end of an error message: builders say why they failed last. */
    private static String lastLine(OperationRun run) {
        String[] lines = run.log.text().split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (!lines[i].isBlank() && !lines[i].startsWith("$ ")) {
                return ": " + (lines[i].length() > 300 ? lines[i].substring(0, 300) + "..." : lines[i].strip());
            }
        }
        return "";
    }

    /** A path of the repository, refused when it leaves it (by {@code ..} or a symbolic link). */
    private static Path inside(Path repo, String relative, ErrorCode code) throws OperationFailure {
        Path p = repo.resolve(relative).normalize();
        try {
            if (!p.startsWith(repo) || !Files.exists(p) || !p.toRealPath().startsWith(repo.toRealPath())) {
                throw new OperationFailure(code, "No file " + relative + " in the repository");
            }
        } catch (IOException e) {
            throw new OperationFailure(code, "No file " + relative + " in the repository");
        }
        return p;
    }

    Path installDir(OperationRun run) {
        return data.resolve("executables").resolve(run.request.serviceName()).resolve(run.id);
    }

    private Path install(OperationRun run, Path file, String name) throws OperationFailure {
        try {
            Path dir = Files.createDirectories(installDir(run));
            Path target = dir.resolve(name);
            Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
            try {
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
            } catch (UnsupportedOperationException notPosix) {
                target.toFile().setExecutable(true);
            }
            return target;
        } catch (IOException e) {
            ErrorCode code = run.request.kind() == OperationKind.UPLOAD ? ErrorCode.VALIDATION_FAILED : ErrorCode.BUILD_FAILED;
            throw new OperationFailure(code, "Cannot install the executable: " + e.getMessage());
        }
    }

    /** Earlier operations' copies of a service's executable, once a newer one is its executable (running jobs keep theirs open). */
    void pruneOlder(String serviceName, String keep) {
        Path root = data.resolve("executables").resolve(serviceName);
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(root)) {
            dirs.filter(d -> !d.getFileName().toString().equals(keep)).forEach(Folders::deleteTree);
        } catch (IOException e) {
            // left for the next one
        }
    }

    /** Removes an operation's kept copy when it failed. */
    void discard(OperationRun run) {
        if (run.request.kind() != OperationKind.VALIDATE) {
            Folders.deleteTree(installDir(run));
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir)));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (!attrs.isSymbolicLink()) {
                    Files.copy(file, to.resolve(from.relativize(file)), StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
