package dev.switchboard.operation.control;

import dev.switchboard.operation.entity.ErrorCode;
import dev.switchboard.operation.entity.Operation;
import dev.switchboard.operation.entity.OperationRequest;
import dev.switchboard.operation.entity.OperationView;
import dev.switchboard.upload.control.Uploads;
import dev.switchboard.upload.entity.UploadSession;
import dev.switchboard.upload.entity.UploadStatus;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Operations in the database, one short transaction per change of their own ({@code REQUIRES_NEW}): they are
 * made on operation threads, never inside a caller's transaction, and a change must be stored before its event
 * reaches anyone.
 * <p>
 * In a cluster an unfinished operation belongs to the member that runs it ({@code runner}) for as long as that member
 * renews its lease; once the lease has expired, any member may end it ({@link #interruptExpired}). Both that end and
 * every change lock the operation's row until they commit, and a change is refused once the operation has ended, so
 * of several members ending it at once exactly one does, and a late write of a runner that lost its lease (paused,
 * or cut off from the database for longer than the lease) never overwrites the end another member wrote.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.REQUIRES_NEW)
public class OperationStore {

    @PersistenceContext(unitName = "switchboard")
    EntityManager em;

    @Inject
    Uploads uploads;

    /** The SQL list of the unfinished statuses, for the one native statement (the renewal). */
    private static final String UNFINISHED_SQL = Operation.UNFINISHED.stream().map(s -> "'" + s.name() + "'")
            .collect(Collectors.joining(", "));

    public OperationView create(String id, OperationRequest request, String owner, String runner, long leaseUntil) {
        Operation o = new Operation(id, request, owner, runner, leaseUntil);
        em.persist(o);
        return o.view();
    }

    public Optional<OperationView> find(String id) {
        return Optional.ofNullable(em.find(Operation.class, id)).map(Operation::view);
    }

    public List<OperationView> latest(int limit) {
        return em.createNamedQuery(Operation.LATEST, Operation.class).setMaxResults(limit)
                .getResultStream().map(Operation::view).toList();
    }

    /** Changes an unfinished operation; empty when it has ended (here, or elsewhere: see the class comment). */
    public Optional<OperationView> change(String id, Consumer<Operation> change) {
        Operation o = em.find(Operation.class, id, LockModeType.PESSIMISTIC_WRITE);
        if (o == null || o.status().terminal()) {
            return Optional.empty();
        }
        change.accept(o);
        return Optional.of(o.view());
    }

    /**
     * At start-up, before anything runs here: ends what the previous run of this member ({@code runner}, the same
     * peer id) left queued or running, and what no member runs (stored by a version without leases).
     */
    public List<OperationView> interruptOwn(String runner, String message) {
        List<Operation> unfinished = em.createNamedQuery(Operation.OWN_UNFINISHED, Operation.class)
                .setParameter("statuses", Operation.UNFINISHED).setParameter("runner", runner)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList();
        unfinished.forEach(o -> o.fail(ErrorCode.INTERRUPTED, message));
        return unfinished.stream().map(Operation::view).toList();
    }

    /** Renews the leases of all of {@code runner}'s unfinished operations, in one statement; returns how many. */
    public int renew(String runner, long leaseUntil) {
        return em.createNativeQuery("UPDATE sb_operation SET lease_expires_at = ? WHERE runner = ? AND status IN ("
                + UNFINISHED_SQL + ")").setParameter(1, leaseUntil).setParameter(2, runner).executeUpdate();
    }

    /** The ids of {@code runner}'s unfinished operations. */
    public List<String> unfinishedOf(String runner) {
        return em.createNamedQuery(Operation.RUNNING_ON, String.class).setParameter("statuses", Operation.UNFINISHED)
                .setParameter("runner", runner).getResultList();
    }

    /** The ids of unfinished operations whose lease had expired at {@code nowMillis}, oldest first, at most {@code max}. */
    public List<String> expired(long nowMillis, int max) {
        return em.createNamedQuery(Operation.EXPIRED, String.class).setParameter("statuses", Operation.UNFINISHED)
                .setParameter("now", nowMillis).setMaxResults(max).getResultList();
    }

    /**
     * Ends the operation {@code INTERRUPTED} when it is still unfinished and its lease had expired at {@code nowMillis}
     * (its runner died). The row's lock makes the check and the end one step, as a conditional update would, while
     * the entity ends its steps as every other end does: of several members trying at once, the first ends it and
     * the others, waiting for its commit, find it ended.
     * @return the operation as ended; empty when it ended meanwhile, or its runner renewed the lease
     */
    public Optional<OperationView> interruptExpired(String id, long nowMillis, String message) {
        Operation o = em.find(Operation.class, id, LockModeType.PESSIMISTIC_WRITE);
        if (o == null || o.status().terminal() || !o.leaseExpiredAt(nowMillis)) {
            return Optional.empty();
        }
        o.fail(ErrorCode.INTERRUPTED, message);
        return Optional.of(o.view());
    }

    /** The file of a completed upload of {@code owner}'s, when it is still there. */
    public Optional<Path> uploadedFile(String sessionId, String owner) {
        UploadSession s = em.find(UploadSession.class, sessionId);
        if (s == null || !s.ownedBy(owner) || s.status() != UploadStatus.COMPLETED) {
            return Optional.empty();
        }
        Path file = uploads.filesOf(s.serviceId()).resolve(s.filePath()).normalize();
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }
}
