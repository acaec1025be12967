package dev.switchboard.it;

import org.eclipse.jgit.api.Git;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

/** Real git repositories for the operations' tests, made with JGit: no git binary, no network. */
final class GitRepos {

    private GitRepos() {
    }

    /**
     * A bare repository {@code <dir>/<name>.git} with one commit of {@code files} ({@code executables} among them
     * with mode 755, {@code tagName} on the commit unless null), cloned from the work tree {@code <dir>/<name>.work};
     * returns its file: URL.
     */
    static String bare(Path dir, String name, Map<String, String> files, Set<String> executables, String tagName) throws Exception {
        Path work = dir.resolve(name + ".work");
        try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
            for (var f : files.entrySet()) {
                Path p = work.resolve(f.getKey());
                Files.createDirectories(p.getParent());
                Files.writeString(p, f.getValue());
                if (executables.contains(f.getKey())) {
                    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
            git.add().addFilepattern(".").call();
            git.commit().setMessage("first").setAuthor("it", "it@example.org").setCommitter("it", "it@example.org").call();
            if (tagName != null) {
                git.tag().setName(tagName).call();
            }
        }
        Path bare = dir.resolve(name + ".git");
        Git.cloneRepository().setBare(true).setURI(work.toUri().toString()).setDirectory(bare.toFile()).call().close();
        return bare.toUri().toString();
    }
}
