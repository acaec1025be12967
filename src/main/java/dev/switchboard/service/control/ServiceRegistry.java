package dev.switchboard.service.control;

import dev.switchboard.common.Conflict;
import dev.switchboard.node.control.NodeIdentity;
import dev.switchboard.service.entity.Service;
import dev.switchboard.service.entity.ServiceChanged;
import dev.switchboard.service.entity.ServiceDefinition;
import dev.switchboard.service.entity.ServiceStatus;
import dev.switchboard.service.entity.ServiceType;
import dev.switchboard.service.entity.ServiceView;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * This node's services (in a cluster: every instance's, one table; each service names the instance that registered
 * it, its host). Writes run in the caller's transaction and fire {@link ServiceChanged}; observers
 * that talk to clients observe it after the transaction succeeds.
 */
@ApplicationScoped
@Transactional
public class ServiceRegistry {

    /** The name is taken by another service. */
    public static class DuplicateName extends Conflict {
        public DuplicateName(String name) {
            super("A service named '" + name + "' already exists");
        }
    }

    /** A workflow job still runs this service. */
    public static class InUse extends Conflict {
        public InUse() {
            super("The service is used by a workflow; change or delete the workflow first");
        }
    }

    @PersistenceContext(unitName = "switchboard")
    EntityManager em;

    @Inject
    Event<ServiceChanged> changed;

    @Inject
    NodeIdentity identity;

    public List<ServiceView> list() {
        return em.createNamedQuery(Service.ALL, Service.class).getResultStream().map(Service::view).toList();
    }

    public Optional<ServiceView> find(long id) {
        return Optional.ofNullable(em.find(Service.class, id)).map(Service::view);
    }

    public Optional<ServiceView> findByName(String name) {
        return em.createNamedQuery(Service.BY_NAME, Service.class).setParameter("name", name)
                .getResultStream().findFirst().map(Service::view);
    }

    public long count() {
        return em.createNamedQuery(Service.COUNT, Long.class).getSingleResult();
    }

    /** Case-insensitive match of {@code query} in name or description; empty {@code types} = all types. */
    public List<ServiceView> search(String query, Collection<ServiceType> types, boolean activeOnly, int limit) {
        return matching(em.createNamedQuery(Service.SEARCH, Service.class), query, types, activeOnly, limit);
    }

    /**
     * {@link #search} among the services hosted by one of {@code hosts} (and, with {@code unhosted}, those that
     * name no host).
     */
    public List<ServiceView> searchHosted(String query, Collection<ServiceType> types, boolean activeOnly, int limit,
                                          Collection<String> hosts, boolean unhosted) {
        if (hosts.isEmpty() && !unhosted) {
            return List.of();
        }
        // IN () is not valid SQL: a peer id is never empty, so "" matches nothing
        var q = em.createNamedQuery(unhosted ? Service.SEARCH_HOSTED_OR_UNHOSTED : Service.SEARCH_HOSTED, Service.class)
                .setParameter("hosts", hosts.isEmpty() ? List.of("") : hosts);
        return matching(q, query, types, activeOnly, limit);
    }

    /** The peer ids that host at least one service. */
    public List<String> hosts() {
        return em.createNamedQuery(Service.HOSTS, String.class).getResultList();
    }

    private static List<ServiceView> matching(jakarta.persistence.TypedQuery<Service> q, String query,
                                              Collection<ServiceType> types, boolean activeOnly, int limit) {
        String pattern = "%" + query.toLowerCase().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        return q.setParameter("q", pattern)
                .setParameter("types", types.isEmpty() ? List.of(ServiceType.values()) : types)
                .setParameter("statuses", activeOnly ? List.of(ServiceStatus.ACTIVE) : List.of(ServiceStatus.values()))
                .setMaxResults(limit)
                .getResultStream().map(Service::view).toList();
    }

    public ServiceView create(ServiceDefinition definition) {
        if (findByName(definition.name()).isPresent()) {
            throw new DuplicateName(definition.name());
        }
        Service service = new Service(definition, identity.peerId());
        em.persist(service);
        flush(definition.name());
        ServiceView view = service.view();
        changed.fire(new ServiceChanged(ServiceChanged.Kind.CREATED, view, null));
        return view;
    }

    public Optional<ServiceView> replace(long id, ServiceDefinition definition) {
        Service service = em.find(Service.class, id);
        if (service == null) {
            return Optional.empty();
        }
        Optional<ServiceView> clash = findByName(definition.name());
        if (clash.isPresent() && clash.get().id() != id) {
            throw new DuplicateName(definition.name());
        }
        ServiceStatus previous = service.view().status();
        service.apply(definition);
        flush(definition.name());
        ServiceView view = service.view();
        changed.fire(new ServiceChanged(ServiceChanged.Kind.UPDATED, view, previous));
        return Optional.of(view);
    }

    public boolean delete(long id) {
        Service service = em.find(Service.class, id);
        if (service == null) {
            return false;
        }
        ServiceView view = service.view();
        em.remove(service);
        try {
            em.flush();
        } catch (PersistenceException e) {
            throw new InUse();
        }
        changed.fire(new ServiceChanged(ServiceChanged.Kind.DELETED, view, view.status()));
        return true;
    }

    /** A concurrent insert of the same name shows up as a constraint violation at flush. */
    private void flush(String name) {
        try {
            em.flush();
        } catch (PersistenceException e) {
            throw new DuplicateName(name);
        }
    }
}
