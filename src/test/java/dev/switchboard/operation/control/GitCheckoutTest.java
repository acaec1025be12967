package dev.switchboard.operation.control;

import dev.switchboard.operation.entity.ErrorCode;
import dev.switchboard.operation.entity.OperationFailure;
import dev.switchboard.operation.entity.OperationKind;
import dev.switchboard.operation.entity.OperationRequest;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Clones of real bare repositories made here with JGit: default branch, branch, tag, commit, and the failures. */
class GitCheckoutTest {

    @TempDir
    static Path dir;
    static String bare;
    static String first;
    static String second;

    @BeforeAll
    static void repository() throws Exception {
        Path work = dir.resolve("work");
        try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
            Files.writeString(work.resolve("a.txt"), "one\n");
            git.add().addFilepattern(".").call();
            RevCommit c1 = git.commit().setMessage("one").setAuthor("t", "t@example.org").setCommitter("t", "t@example.org").call();
            first = c1.name();
            git.tag().setName("v1").call();
            Files.writeString(work.resolve("a.txt"), "two\n");
            git.add().addFilepattern(".").call();
            second = git.commit().setMessage("two").setAuthor("t", "t@example.org").setCommitter("t", "t@example.org").call().name();
            git.branchCreate().setName("topic").setStartPoint(first).call();
        }
        Path b = dir.resolve("repo.git");
        Git.cloneRepository().setBare(true).setURI(work.toUri().toString()).setDirectory(b.toFile()).call().close();
        bare = b.toUri().toString();
    }

    private static OperationRun run() {
        return new OperationRun("op-t", new OperationRequest(OperationKind.GIT_CLONE, "s", "", "", bare, "", "", "", "x",
                List.of(), List.of(), "", 60), "u", true, bare, dir, 1000, e -> { }, (r, s, m, p) -> { });
    }

    private static String clone(String ref, String into) throws OperationFailure, java.io.IOException {
        GitCheckout.Checkout c = GitCheckout.clone(run(), bare, ref, dir.resolve(into), 30);
        assertEquals(c.commit(), Git.open(c.dir().toFile()).getRepository().resolve("HEAD").name());
        return c.commit() + ":" + Files.readString(c.dir().resolve("a.txt")).strip();
    }

    @Test
    void defaultBranchBranchTagAndCommit() throws Exception {
        assertEquals(second + ":two", clone("", "c-default"));
        assertEquals(first + ":one", clone("topic", "c-branch"));
        assertEquals(first + ":one", clone("v1", "c-tag"));
        assertEquals(first + ":one", clone(first, "c-commit"));
        assertEquals(first + ":one", clone(first.substring(0, 10), "c-short"));
    }

    @Test
    void aBranchCloneIsShallow() throws Exception {
        clone("main", "c-shallow");
        try (Git git = Git.open(dir.resolve("c-shallow").toFile())) {
            assertTrue(Files.exists(dir.resolve("c-shallow/.git/shallow")), "depth 1");
            int commits = 0;
            for (RevCommit ignored : git.log().call()) {
                commits++;
            }
            assertEquals(1, commits);
        }
    }

    @Test
    void aMissingRefOrRepositoryIsGitCloneFailed() {
        OperationFailure ref = assertThrows(OperationFailure.class, () -> clone("nosuch", "c-nosuch"));
        assertEquals(ErrorCode.GIT_CLONE_FAILED, ref.code());
        assertTrue(ref.getMessage().contains("No branch, tag or commit 'nosuch'"), ref.getMessage());
        OperationFailure commit = assertThrows(OperationFailure.class, () -> clone("abcdef1234", "c-nocommit"));
        assertEquals(ErrorCode.GIT_CLONE_FAILED, commit.code());
        OperationFailure repo = assertThrows(OperationFailure.class, () ->
                GitCheckout.clone(run(), dir.resolve("absent.git").toUri().toString(), "", dir.resolve("c-absent"), 30));
        assertEquals(ErrorCode.GIT_CLONE_FAILED, repo.code());
        assertTrue(repo.getMessage().startsWith("Cannot read the repository"), repo.getMessage());
        assertFalse(Files.exists(dir.resolve("c-nosuch")), "nothing fetched for a ref that is not there");
    }

    @Test
    void credentialsNeverShow() {
        assertEquals("https://***@git.example.org/a.git", GitUrls.masked("https://me:s3cret@git.example.org/a.git"));
        assertEquals("https://git.example.org/a.git", GitUrls.masked("https://git.example.org/a.git"));
        assertEquals("https", GitUrls.scheme("HTTPS://x/y"));
        assertEquals("ssh", GitUrls.scheme("git@github.example:team/x.git"));
        assertEquals("file", GitUrls.scheme("/srv/git/x.git"));
        assertEquals("file", GitUrls.scheme("file:/srv/git/x.git"));
        assertEquals("file", GitUrls.scheme("file:///srv/git/x.git"));
    }
}
