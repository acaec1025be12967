package dev.switchboard.operation.control;

import dev.switchboard.operation.entity.ErrorCode;
import dev.switchboard.operation.entity.OperationFailure;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.EmptyProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Clones with Eclipse JGit: the remote's refs are listed first, so that a repository that cannot be read and a
 * branch, tag or commit that is not in it fail with a message saying which, before anything is fetched. A branch
 * or a tag (or the default branch) is cloned shallow (depth 1); a commit needs history the remote may not
 * advertise on its own, so for a commit hash the default history is fetched and the commit checked out.
 */
final class GitCheckout {

    private static final Pattern COMMIT = Pattern.compile("[0-9a-fA-F]{7,40}");

    /** The checkout and the commit it is at. */
    record Checkout(Path dir, String commit) {
    }

    private GitCheckout() {
    }

    static Checkout clone(OperationRun run, String url, String ref, Path into, int timeoutSeconds) throws OperationFailure {
        String shown = GitUrls.masked(url);
        Collection<Ref> refs;
        try {
            refs = Git.lsRemoteRepository().setRemote(url).setHeads(true).setTags(true).setTimeout(timeoutSeconds).call();
        } catch (GitAPIException | RuntimeException e) {
            run.check();
            throw new OperationFailure(ErrorCode.GIT_CLONE_FAILED, "Cannot read the repository " + shown + ": " + reason(e, url));
        }
        String branch = null;
        boolean commit = false;
        if (!ref.isEmpty()) {
            Optional<Ref> named = refs.stream().filter(r -> r.getName().equals(ref) || r.getName().equals("refs/heads/" + ref)
                    || r.getName().equals("refs/tags/" + ref)).findFirst();
            if (named.isPresent()) {
                branch = named.get().getName();
            } else if (COMMIT.matcher(ref).matches()) {
                commit = true;
            } else {
                throw new OperationFailure(ErrorCode.GIT_CLONE_FAILED, "No branch, tag or commit '" + ref + "' in " + shown);
            }
        }
        Monitor monitor = new Monitor(run);
        var clone = Git.cloneRepository().setURI(url).setDirectory(into.toFile()).setCloneAllBranches(false)
                .setTimeout(timeoutSeconds).setProgressMonitor(monitor);
        if (!commit) {
            clone.setDepth(1);
        }
        if (branch != null) {
            clone.setBranch(branch);
        }
        if (commit) {
            clone.setNoCheckout(true);
        }
        try (Git git = clone.call()) {
            run.check();
            ObjectId head;
            if (commit) {
                head = git.getRepository().resolve(ref + "^{commit}");
                if (head == null) {
                    throw new OperationFailure(ErrorCode.GIT_CLONE_FAILED, "No branch, tag or commit '" + ref + "' in " + shown);
                }
                // the clone made no work tree; a hard reset writes the commit's files (a checkout would see them as deleted)
                git.reset().setMode(org.eclipse.jgit.api.ResetCommand.ResetType.HARD).setRef(head.name()).call();
            } else {
                head = git.getRepository().resolve("HEAD^{commit}");
                if (head == null) {
                    throw new OperationFailure(ErrorCode.GIT_CLONE_FAILED, "The repository " + shown + " has no commit to check out");
                }
            }
            return new Checkout(into, head.name());
        } catch (GitAPIException | java.io.IOException | RuntimeException e) {
            run.check();
            throw new OperationFailure(ErrorCode.GIT_CLONE_FAILED, "Cannot clone " + shown + ": " + reason(e, url));
        }
    }

    /** The innermost message, without the URL's credentials. */
    private static String reason(Throwable e, String url) {
        String message = e.getMessage();
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
        }
        String text = message == null ? e.getClass().getSimpleName() : message;
        return text.replace(url, GitUrls.masked(url));
    }

    /** JGit asks it whether to go on; a cancel or the time limit answers no. */
    private static final class Monitor extends EmptyProgressMonitor {
        private final OperationRun run;

        Monitor(OperationRun run) {
            this.run = run;
        }

        @Override
        public boolean isCancelled() {
            return run.stopping();
        }
    }
}
