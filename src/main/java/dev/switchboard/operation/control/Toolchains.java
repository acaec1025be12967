package dev.switchboard.operation.control;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Which builder a repository declares, and where its executable ends up. The first of these files at the top
 * of the repository decides: {@code Cargo.toml} (cargo), {@code go.mod} (go), {@code Makefile} (make),
 * {@code pom.xml} (Maven), {@code package.json} (npm). A request's {@code build_command} (an argument array)
 * replaces the detection. Every command is an argument array run without a shell.
 */
final class Toolchains {

    /** Folders never searched for a built executable: version control and installed dependencies. */
    private static final List<String> SKIPPED = List.of(".git", "node_modules");

    /**
     * A builder: its commands in order, and the folder (relative, empty = the whole repository) where the
     * executable it makes is looked for when the request does not name it.
     */
    record Toolchain(String name, List<List<String>> commands, String artifactDir, boolean topLevelOnly) {
    }

    private Toolchains() {
    }

    static Optional<Toolchain> detect(Path repo, List<String> buildCommand) {
        if (!buildCommand.isEmpty()) {
            return Optional.of(new Toolchain("command", List.of(buildCommand), "", false));
        }
        if (Files.isRegularFile(repo.resolve("Cargo.toml"))) {
            return Optional.of(new Toolchain("cargo", List.of(List.of("cargo", "build", "--release")), "target/release", true));
        }
        if (Files.isRegularFile(repo.resolve("go.mod"))) {
            return Optional.of(new Toolchain("go", List.of(List.of("go", "build", "-o", ".switchboard-bin/", "./...")),
                    ".switchboard-bin", true));
        }
        for (String makefile : List.of("GNUmakefile", "Makefile", "makefile")) {
            if (Files.isRegularFile(repo.resolve(makefile))) {
                return Optional.of(new Toolchain("make", List.of(List.of("make")), "", false));
            }
        }
        if (Files.isRegularFile(repo.resolve("pom.xml"))) {
            return Optional.of(new Toolchain("maven", List.of(List.of("mvn", "-B", "package", "-DskipTests")), "", false));
        }
        if (Files.isRegularFile(repo.resolve("package.json"))) {
            List<List<String>> commands = new ArrayList<>();
            commands.add(Files.isRegularFile(repo.resolve("package-lock.json"))
                    ? List.of("npm", "ci", "--no-audit", "--no-fund") : List.of("npm", "install", "--no-audit", "--no-fund"));
            JsonObject pkg = packageJson(repo);
            if (pkg.get("scripts") instanceof JsonObject scripts && scripts.containsKey("build")) {
                commands.add(List.of("npm", "run", "build"));
            }
            return Optional.of(new Toolchain("npm", commands, "", false));
        }
        return Optional.empty();
    }

    /** npm: the package's {@code bin} (a path, or the first of a name → path map), relative to the repository. */
    static Optional<String> npmBin(Path repo) {
        JsonObject pkg = packageJson(repo);
        if (pkg.get("bin") instanceof JsonString s) {
            return Optional.of(s.getString());
        }
        if (pkg.get("bin") instanceof JsonObject bins && !bins.isEmpty() && bins.values().iterator().next() instanceof JsonString s) {
            return Optional.of(s.getString());
        }
        return Optional.empty();
    }

    private static JsonObject packageJson(Path repo) {
        try (var reader = Json.createReader(new StringReader(Files.readString(repo.resolve("package.json"))))) {
            return reader.readObject();
        } catch (IOException | RuntimeException e) {
            return JsonObject.EMPTY_JSON_OBJECT;
        }
    }

    /** Executable regular files under {@code dir} with their modification times, skipping {@link #SKIPPED}. */
    static Map<Path, Long> executables(Path dir, boolean topLevelOnly) {
        Map<Path, Long> out = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.walk(dir, topLevelOnly ? 1 : 12)) {
            files.filter(p -> !p.equals(dir))
                    .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p) && !p.getFileName().toString().endsWith(".d"))
                    .filter(p -> !skipped(dir.relativize(p)))
                    .forEach(p -> out.put(p, mtime(p)));
        } catch (IOException | java.io.UncheckedIOException e) {
            // a file that vanished while we looked is no executable of the build's
        }
        return out;
    }

    private static boolean skipped(Path relative) {
        for (int i = 0; i < relative.getNameCount() - 1; i++) {
            if (SKIPPED.contains(relative.getName(i).toString())) {
                return true;
            }
        }
        return false;
    }

    private static long mtime(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * The executables the build made or changed: those in {@code after} that were not in {@code before} or
     * whose modification time moved. When several, one named like the service wins.
     *
     * @return the one, or a sentence saying why there is none
     */
    static Object pick(Map<Path, Long> before, Map<Path, Long> after, String serviceName) {
        List<Path> made = after.entrySet().stream()
                .filter(e -> !e.getValue().equals(before.get(e.getKey())))
                .map(Map.Entry::getKey).toList();
        if (made.size() == 1) {
            return made.get(0);
        }
        if (made.isEmpty()) {
            return "The build made no executable file; name it with \"executable\" (its path in the repository)";
        }
        List<Path> named = made.stream().filter(p -> p.getFileName().toString().equals(serviceName)).toList();
        if (named.size() == 1) {
            return named.get(0);
        }
        return "The build made several executables (" + String.join(", ", made.stream().map(p -> p.getFileName().toString()).toList())
                + "); name one with \"executable\" (its path in the repository)";
    }
}
