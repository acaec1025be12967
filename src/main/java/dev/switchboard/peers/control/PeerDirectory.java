package dev.switchboard.peers.control;

import dev.switchboard.common.Conflict;
import dev.switchboard.node.control.NodeIdentity;
import dev.switchboard.peers.entity.PeerCapabilitiesChanged;
import dev.switchboard.peers.entity.PeerDefinition;
import dev.switchboard.peers.entity.PeerView;
import dev.switchboard.peers.entity.PeersChanged;
import dev.switchboard.peers.entity.RegisteredPeer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every peer this node knows: the live Switchboard instances ({@link InstancePeers}) and the peers registered over
 * REST (kept in the database, shared by every instance). When a registered peer's id is also a live instance's, the
 * instance's entry is listed (it is measured, the registration is only said). Blacklisted peers are left out of
 * {@link #known()}, and so of {@code peers.updated} and {@code known_peers}; {@link #registered()} (the REST list)
 * still shows them, since that is where an operator manages them.
 */
@ApplicationScoped
@Transactional
public class PeerDirectory {

    /** Registering this node itself as its own peer. */
    public static class Self extends Conflict {
        public Self() {
            super("That is this node's own peer id; a node is not its own peer");
        }
    }

    /** {@code peers.max-registered} peers are registered already. */
    public static class Full extends Conflict {
        public Full(int max) {
            super("At most " + max + " peers may be registered; delete some first");
        }
    }

    @PersistenceContext(unitName = "switchboard")
    EntityManager em;

    @Inject
    InstancePeers instances;

    @Inject
    Blacklist blacklist;

    @Inject
    NodeIdentity identity;

    @Inject
    Event<PeersChanged> changed;

    @Inject
    Event<PeerCapabilitiesChanged> capabilitiesChanged;

    @Inject
    @ConfigProperty(name = "peers.max-registered", defaultValue = "1000")
    int maxRegistered;

    /** What the node dialect lists: live instances, then registered peers, blacklisted ones left out. */
    public List<PeerView> known() {
        Set<String> blocked = blacklist.blockedIds();
        Map<String, PeerView> byId = new LinkedHashMap<>();
        for (PeerView p : instances.live()) {
            if (!blocked.contains(p.id())) {
                byId.put(p.id(), p);
            }
        }
        for (PeerView p : registered()) {
            if (!blocked.contains(p.id()) && !p.id().equals(identity.peerId())) {
                byId.putIfAbsent(p.id(), p);
            }
        }
        return new ArrayList<>(byId.values());
    }

    public int count() {
        return known().size();
    }

    public List<PeerView> registered() {
        return em.createNamedQuery(RegisteredPeer.ALL, RegisteredPeer.class).getResultStream().map(RegisteredPeer::view).toList();
    }

    public Optional<PeerView> find(String peerId) {
        return Optional.ofNullable(em.find(RegisteredPeer.class, peerId)).map(RegisteredPeer::view);
    }

    /** A peer with this id is registered already (POST does not replace). */
    public static class Taken extends Conflict {
        public Taken(String id) {
            super("A peer with id '" + id + "' is registered already; PUT /api/peers/" + id + " replaces it");
        }
    }

    /** Registers a new peer; {@link Taken} when the id is registered already. */
    public void create(PeerDefinition d) {
        if (em.find(RegisteredPeer.class, d.id()) != null) {
            throw new Taken(d.id());
        }
        put(d);
    }

    /** Creates or replaces a registered peer; true when it is new. */
    public boolean put(PeerDefinition d) {
        if (d.id().equals(identity.peerId())) {
            throw new Self();
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        RegisteredPeer peer = em.find(RegisteredPeer.class, d.id());
        List<String> previous;
        boolean fresh = peer == null;
        if (fresh) {
            if (em.createNamedQuery(RegisteredPeer.COUNT, Long.class).getSingleResult() >= maxRegistered) {
                throw new Full(maxRegistered);
            }
            previous = List.of();
            em.persist(new RegisteredPeer(d, now));
        } else {
            previous = peer.capabilities();
            peer.apply(d, now);
        }
        if (!new HashSet<>(previous).equals(new HashSet<>(d.capabilities())) && !instances.isLive(d.id())
                && !blacklist.isBlocked(d.id())) {
            capabilitiesChanged.fire(new PeerCapabilitiesChanged(d.id(), d.capabilities(), previous, false, Instant.now()));
        }
        changed.fire(new PeersChanged(false));
        return fresh;
    }

    public boolean delete(String peerId) {
        RegisteredPeer peer = em.find(RegisteredPeer.class, peerId);
        if (peer == null) {
            return false;
        }
        em.remove(peer);
        changed.fire(new PeersChanged(false));
        return true;
    }
}
