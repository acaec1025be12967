package dev.switchboard.peers.control;

import dev.switchboard.common.Conflict;
import dev.switchboard.peers.entity.RelayCandidate;
import dev.switchboard.peers.entity.RelayCandidateView;
import dev.switchboard.peers.entity.RelaySession;
import dev.switchboard.peers.entity.RelaySessionView;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Relay sessions and relay candidates as something outside Switchboard reports them over REST: Switchboard relays no
 * traffic and discovers no relays itself; it stores what it is told and shows it to node clients. A record not
 * written again for {@code relay.record-ttl-seconds} is stale (its reporter is gone): left out of every list and
 * deleted by the publisher's sweep. Records naming a blacklisted peer are left out of the lists.
 */
@ApplicationScoped
@Transactional
public class RelayRecords {

    /** {@code relay.max-records} of one kind are held already. */
    public static class Full extends Conflict {
        public Full(String what, int max) {
            super("At most " + max + " relay " + what + " may be recorded; delete some first");
        }
    }

    @PersistenceContext(unitName = "switchboard")
    EntityManager em;

    @Inject
    Blacklist blacklist;

    @Inject
    @ConfigProperty(name = "relay.record-ttl-seconds", defaultValue = "300")
    long ttlSeconds;

    @Inject
    @ConfigProperty(name = "relay.max-records", defaultValue = "1000")
    int maxRecords;

    private OffsetDateTime freshSince() {
        return OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(ttlSeconds);
    }

    /** Fresh sessions, those of blacklisted peers left out when {@code filtered}. */
    public List<RelaySessionView> sessions(boolean filtered) {
        Set<String> blocked = filtered ? blacklist.blockedIds() : Set.of();
        return em.createNamedQuery(RelaySession.FRESH, RelaySession.class).setParameter("since", freshSince())
                .getResultStream().map(RelaySession::view).filter(s -> !blocked.contains(s.remotePeerId())).toList();
    }

    public List<RelayCandidateView> candidates(boolean filtered) {
        Set<String> blocked = filtered ? blacklist.blockedIds() : Set.of();
        return em.createNamedQuery(RelayCandidate.FRESH, RelayCandidate.class).setParameter("since", freshSince())
                .getResultStream().map(RelayCandidate::view).filter(c -> !blocked.contains(c.peerId())).toList();
    }

    public Optional<RelaySessionView> session(String id) {
        return Optional.ofNullable(em.find(RelaySession.class, id)).map(RelaySession::view)
                .filter(s -> s.reportedAt().isAfter(freshSince().toInstant()));
    }

    public Optional<RelayCandidateView> candidate(String peerId) {
        return Optional.ofNullable(em.find(RelayCandidate.class, peerId)).map(RelayCandidate::view)
                .filter(c -> c.reportedAt().isAfter(freshSince().toInstant()));
    }

    /** Creates or replaces a session record; true when it is new. */
    public boolean putSession(RelaySessionView v) {
        RelaySession s = em.find(RelaySession.class, v.sessionId());
        if (s != null) {
            s.apply(v);
            return false;
        }
        if (em.createNamedQuery(RelaySession.COUNT, Long.class).getSingleResult() >= maxRecords) {
            purgeStale();
            if (em.createNamedQuery(RelaySession.COUNT, Long.class).getSingleResult() >= maxRecords) {
                throw new Full("sessions", maxRecords);
            }
        }
        em.persist(new RelaySession(v));
        return true;
    }

    public boolean putCandidate(RelayCandidateView v) {
        RelayCandidate c = em.find(RelayCandidate.class, v.peerId());
        if (c != null) {
            c.apply(v);
            return false;
        }
        if (em.createNamedQuery(RelayCandidate.COUNT, Long.class).getSingleResult() >= maxRecords) {
            purgeStale();
            if (em.createNamedQuery(RelayCandidate.COUNT, Long.class).getSingleResult() >= maxRecords) {
                throw new Full("candidates", maxRecords);
            }
        }
        em.persist(new RelayCandidate(v));
        return true;
    }

    public boolean deleteSession(String id) {
        RelaySession s = em.find(RelaySession.class, id);
        if (s == null) {
            return false;
        }
        em.remove(s);
        return true;
    }

    public boolean deleteCandidate(String peerId) {
        RelayCandidate c = em.find(RelayCandidate.class, peerId);
        if (c == null) {
            return false;
        }
        em.remove(c);
        return true;
    }

    public int purgeStale() {
        OffsetDateTime since = freshSince();
        return em.createNamedQuery(RelaySession.PURGE_STALE).setParameter("since", since).executeUpdate()
                + em.createNamedQuery(RelayCandidate.PURGE_STALE).setParameter("since", since).executeUpdate();
    }

}
