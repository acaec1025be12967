package dev.switchboard.ops.control;

import dev.switchboard.upload.entity.UploadStatus;
import dev.switchboard.workflow.entity.ExecutionStatus;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the database holds that an operator watches: uploads and executions by status, the direct-message queue. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class StoreFigures {

    @PersistenceContext(unitName = "switchboard")
    EntityManager em;

    /** Every status, zero when none: a series that exists from the start is easier to alert on. */
    public Map<String, Long> uploadSessionsByStatus() {
        return byStatus("SELECT u.status, COUNT(u) FROM UploadSession u GROUP BY u.status", UploadStatus.values());
    }

    public Map<String, Long> executionsByStatus() {
        return byStatus("SELECT e.status, COUNT(e) FROM WorkflowExecution e GROUP BY e.status", ExecutionStatus.values());
    }

    public long queuedDirectMessages() {
        return em.createQuery("SELECT COUNT(m) FROM QueuedMessage m", Long.class).getSingleResult();
    }

    private Map<String, Long> byStatus(String jpql, Enum<?>[] all) {
        Map<String, Long> counts = new TreeMap<>();
        for (Enum<?> e : all) {
            counts.put(e.name().toLowerCase(java.util.Locale.ROOT), 0L);
        }
        List<Object[]> rows = em.createQuery(jpql, Object[].class).getResultList();
        for (Object[] row : rows) {
            counts.put(String.valueOf(row[0]).toLowerCase(java.util.Locale.ROOT), ((Number) row[1]).longValue());
        }
        return counts;
    }
}
