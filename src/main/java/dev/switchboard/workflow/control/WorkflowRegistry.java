package dev.switchboard.workflow.control;

import dev.switchboard.common.Conflict;
import dev.switchboard.workflow.entity.Workflow;
import dev.switchboard.workflow.entity.WorkflowExecution;
import dev.switchboard.workflow.entity.WorkflowJob;
import dev.switchboard.workflow.entity.WorkflowView;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.Optional;

/** Workflows: stored graphs. Writes run in the caller's transaction and fire {@link WorkflowChanged}. */
@ApplicationScoped
@Transactional
public class WorkflowRegistry {

    /** Something changed; publication is debounced. */
    public record WorkflowChanged(long workflowId) {
    }

    /** The name is taken by another workflow. */
    public static class DuplicateName extends Conflict {
        public DuplicateName(String name) {
            super("A workflow named '" + name + "' already exists");
        }
    }

    @PersistenceContext(unitName = "switchboard")
    EntityManager em;

    @Inject
    Event<WorkflowChanged> changed;

    public List<WorkflowView> list() {
        return em.createNamedQuery(Workflow.ALL, Workflow.class).getResultStream().map(this::view).toList();
    }

    public Optional<WorkflowView> find(long id) {
        return Optional.ofNullable(em.find(Workflow.class, id)).map(this::view);
    }

    private WorkflowView view(Workflow w) {
        String status = em.createNamedQuery(WorkflowExecution.OF_WORKFLOW, WorkflowExecution.class)
                .setParameter("workflow", w.id()).setMaxResults(1).getResultStream().findFirst()
                .map(e -> e.status().wire()).orElse("idle");
        return w.view(status);
    }

    public WorkflowView create(String name, String description, List<WorkflowJob> jobs) {
        if (!em.createNamedQuery(Workflow.BY_NAME, Workflow.class).setParameter("name", name).getResultList().isEmpty()) {
            throw new DuplicateName(name);
        }
        Workflow w = new Workflow(name, description);
        w.replaceJobs(jobs);
        em.persist(w);
        flush(name);
        changed.fire(new WorkflowChanged(w.id()));
        return view(w);
    }

    public Optional<WorkflowView> replace(long id, String name, String description, List<WorkflowJob> jobs) {
        Workflow w = em.find(Workflow.class, id);
        if (w == null) {
            return Optional.empty();
        }
        List<Workflow> clash = em.createNamedQuery(Workflow.BY_NAME, Workflow.class).setParameter("name", name).getResultList();
        if (!clash.isEmpty() && !clash.get(0).id().equals(id)) {
            throw new DuplicateName(name);
        }
        w.rename(name, description);
        w.replaceJobs(jobs);
        flush(name);
        changed.fire(new WorkflowChanged(id));
        return Optional.of(view(w));
    }

    public boolean delete(long id) {
        Workflow w = em.find(Workflow.class, id);
        if (w == null) {
            return false;
        }
        boolean running = em.createNamedQuery(WorkflowExecution.OF_WORKFLOW, WorkflowExecution.class)
                .setParameter("workflow", id).getResultStream().anyMatch(e -> !e.status().terminal());
        if (running) {
            throw new Conflict("The workflow has an execution that has not finished");
        }
        em.remove(w);
        em.flush();
        changed.fire(new WorkflowChanged(id));
        return true;
    }

    private void flush(String name) {
        try {
            em.flush();
        } catch (PersistenceException e) {
            throw new DuplicateName(name);
        }
    }
}
