package dev.switchboard;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The component rules of DESIGN.md and CONVENTIONS.md, read off the main sources: no domain imports a dialect or the
 * transport (only dialects reach the transport, and nothing reaches a dialect but another file of the same dialect or
 * the shared dialect contract), and a container's sub-package of transport/ is imported only from transport/ itself.
 */
class ArchitectureTest {

    private static final Path MAIN = Path.of("src/main/java/dev/switchboard");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?dev\\.switchboard\\.([a-z]+)((?:\\.[a-z]+)*)\\.",
            Pattern.MULTILINE);

    private record Use(String file, String component, String target, String targetSub) {
    }

    private static List<Use> uses() throws IOException {
        List<Use> uses = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String component = MAIN.relativize(f).getName(0).toString();
                Matcher m = IMPORT.matcher(Files.readString(f));
                while (m.find()) {
                    uses.add(new Use(MAIN.relativize(f).toString(), component, m.group(1), m.group(2)));
                }
            }
        }
        return uses;
    }

    @Test
    void noDomainImportsADialectOrTheTransport() throws IOException {
        List<Use> all = uses();
        assertTrue(all.size() > 500, "the sources were read: " + all.size() + " imports");
        List<String> wrong = all.stream()
                .filter(u -> !u.component().equals("dialect") && !u.component().equals("transport"))
                .filter(u -> u.target().equals("dialect") || u.target().equals("transport"))
                .map(u -> u.file() + " imports " + u.target() + u.targetSub())
                .toList();
        assertEquals(List.of(), wrong);
    }

    @Test
    void containerAdaptersAreImportedOnlyByTheTransport() throws IOException {
        List<String> wrong = uses().stream()
                .filter(u -> u.target().equals("transport") && !u.targetSub().isEmpty() && !u.component().equals("transport"))
                .map(u -> u.file() + " imports transport" + u.targetSub())
                .toList();
        assertEquals(List.of(), wrong);
    }
}
