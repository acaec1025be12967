package dev.switchboard.operation.control;

import dev.switchboard.operation.entity.ErrorCode;
import dev.switchboard.operation.entity.Operation;
import dev.switchboard.operation.entity.OperationRequest;
import dev.switchboard.operation.entity.OperationStatus;
import dev.switchboard.operation.entity.OperationView;
import dev.switchboard.upload.control.Uploads;
import dev.switchboard.upload.entity.UploadSession;
import dev.switchboard.upload.entity.UploadStatus;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Operations in the database, one short transaction per change of their own ({@code REQUIRES_NEW}): they are
 * made on operation threads, never inside a caller's transaction, and a change must be stored before its event
 * reaches anyone.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.REQUIRES_NEW)
public class OperationStore {

    @PersistenceContext(unitName = "switchboard")
    EntityManager em;

    @Inject
    Uploads uploads;

    public OperationView create(String id, OperationRequest request, String owner) {
        Operation o = new Operation(id, request, owner);
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

    public Optional<OperationView> change(String id, Consumer<Operation> change) {
        Operation o = em.find(Operation.class, id);
        if (o == null || o.status().terminal()) {
            return Optional.empty();
        }
        change.accept(o);
        return Optional.of(o.view());
    }

    /** Ends every operation a previous run of the server left queued or running; returns their ids. */
    public List<String> interruptUnfinished(String message) {
        List<Operation> unfinished = em.createNamedQuery(Operation.UNFINISHED, Operation.class)
                .setParameter("statuses", List.of(OperationStatus.QUEUED, OperationStatus.RUNNING)).getResultList();
        unfinished.forEach(o -> o.fail(ErrorCode.INTERRUPTED, message));
        return unfinished.stream().map(Operation::id).toList();
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
