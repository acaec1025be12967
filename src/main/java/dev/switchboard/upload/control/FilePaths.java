package dev.switchboard.upload.control;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Client-given paths, never trusted: relative, at most 1024 characters, no control characters or NUL, no
 * backslashes, no {@code .} or {@code ..} segments, and still inside the root after normalisation.
 */
public final class FilePaths {

    public static final int MAX_LENGTH = 1024;

    private FilePaths() {
    }

    /** @return the resolved path inside {@code root}, or empty with the fault unknown to the caller */
    public static Optional<Path> inside(Path root, String relative) {
        return fault(relative).isPresent() ? Optional.empty() : Optional.of(root.resolve(relative).normalize());
    }

    /** @return why {@code relative} is refused, or empty when it is acceptable */
    public static Optional<String> fault(String relative) {
        if (relative == null || relative.isEmpty()) {
            return Optional.of("file_path is required");
        }
        if (relative.length() > MAX_LENGTH) {
            return Optional.of("file_path is longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < relative.length(); i++) {
            char c = relative.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return Optional.of("file_path contains a control character");
            }
        }
        if (relative.startsWith("/") || relative.contains("\\") || relative.matches("^[A-Za-z]:.*")) {
            return Optional.of("file_path must be relative");
        }
        for (String segment : relative.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return Optional.of("file_path must not contain empty, '.' or '..' segments");
            }
        }
        try {
            Path root = Path.of("/r");
            if (!root.resolve(relative).normalize().startsWith(root)) {
                return Optional.of("file_path escapes the service's file area");
            }
        } catch (InvalidPathException e) {
            return Optional.of("file_path is not a valid path");
        }
        return Optional.empty();
    }
}
