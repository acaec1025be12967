package dev.switchboard.peers.control;

import dev.switchboard.common.Conflict;
import dev.switchboard.peers.entity.BlacklistEntry;
import dev.switchboard.peers.entity.BlockView;
import dev.switchboard.peers.entity.PeersChanged;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Blacklisted peers. A blacklisted peer is left out of the peer list, the relay lists and capability updates, and
 * {@link #isBlocked} is the hook the cluster engine asks before it admits an instance (it refuses a blocked one).
 * The table is shared by every instance; {@link #isBlocked} answers from a copy of the ids in force that is at most
 * {@code blacklist.cache-ms} old (this instance's own writes refresh it at once), so it may be called on any
 * thread, as often as heartbeats come, without a database round trip each time.
 */
@ApplicationScoped
@Transactional
public class Blacklist {

    private static final Logger LOG = Logger.getLogger(Blacklist.class.getName());

    /** The blacklist holds {@code blacklist.max-entries} already. */
    public static class Full extends Conflict {
        public Full(int max) {
            super("The blacklist is full (" + max + " entries); remove some first");
        }
    }

    @PersistenceContext(unitName = "switchboard")
    EntityManager em;

    @Inject
    Event<PeersChanged> changed;

    /** this bean's proxy: the refresh runs in a transaction of its own, whose failure is caught here */
    @Inject
    Blacklist self;

    @Inject
    @ConfigProperty(name = "blacklist.max-entries", defaultValue = "10000")
    int maxEntries;

    @Inject
    @ConfigProperty(name = "blacklist.cache-ms", defaultValue = "2000")
    long cacheMillis;

    private volatile Set<String> cached = Set.of();
    private volatile long cachedAt = Long.MIN_VALUE;
    /** the earliest expiry among the cached entries: the copy is stale once it passes */
    private volatile Instant cachedUntil = Instant.MAX;

    /** Whether {@code peerId} is blacklisted now. Never throws: when the database cannot answer, the last copy does. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean isBlocked(String peerId) {
        return peerId != null && blockedIds().contains(peerId);
    }

    /** The blacklisted ids in force (see the class comment for how fresh). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Set<String> blockedIds() {
        long now = System.nanoTime();
        if (cachedAt == Long.MIN_VALUE || now - cachedAt > cacheMillis * 1_000_000 || !Instant.now().isBefore(cachedUntil)) {
            try {
                refresh();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "blacklist.refresh.failed", e);
            }
        }
        return cached;
    }

    private void refresh() {
        List<BlockView> inForce = self.list();
        cached = Set.copyOf(inForce.stream().map(BlockView::peerId).toList());
        cachedUntil = inForce.stream().map(BlockView::expiresAt).filter(e -> e != null).min(Instant::compareTo).orElse(Instant.MAX);
        cachedAt = System.nanoTime();
    }

    public List<BlockView> list() {
        return list(Instant.now());
    }

    private List<BlockView> list(Instant now) {
        return em.createNamedQuery(BlacklistEntry.IN_FORCE, BlacklistEntry.class).setParameter("now", now.atOffset(java.time.ZoneOffset.UTC))
                .getResultStream().map(BlacklistEntry::view).toList();
    }

    public Optional<BlockView> find(String peerId) {
        Instant now = Instant.now();
        return Optional.ofNullable(em.find(BlacklistEntry.class, peerId)).filter(b -> b.inForce(now)).map(BlacklistEntry::view);
    }

    /** Adds or renews an entry; true when it is new (an expired entry renewed counts as new). */
    public boolean add(String peerId, String reason, Instant expiresAt, String addedBy) {
        Instant now = Instant.now();
        BlacklistEntry entry = em.find(BlacklistEntry.class, peerId);
        boolean fresh = entry == null || !entry.inForce(now);
        if (entry == null) {
            if (em.createNamedQuery(BlacklistEntry.COUNT, Long.class).getSingleResult() >= maxEntries) {
                purgeExpired();
                if (em.createNamedQuery(BlacklistEntry.COUNT, Long.class).getSingleResult() >= maxEntries) {
                    throw new Full(maxEntries);
                }
            }
            em.persist(new BlacklistEntry(peerId, reason, expiresAt, addedBy, now));
        } else {
            entry.renew(reason, expiresAt, addedBy, now);
        }
        LOG.info(() -> "blacklist.added peer_id=" + peerId + " by=" + addedBy + " expires_at=" + (expiresAt == null ? "never" : expiresAt));
        changed.fire(new PeersChanged(true));
        return fresh;
    }

    /** Removes an entry in force; false when there was none. */
    public boolean remove(String peerId, String by) {
        BlacklistEntry entry = em.find(BlacklistEntry.class, peerId);
        if (entry == null) {
            return false;
        }
        boolean wasInForce = entry.inForce(Instant.now());
        em.remove(entry);
        if (wasInForce) {
            LOG.info(() -> "blacklist.removed peer_id=" + peerId + " by=" + by);
            changed.fire(new PeersChanged(true));
        }
        return wasInForce;
    }

    public int purgeExpired() {
        return em.createNamedQuery(BlacklistEntry.PURGE_EXPIRED).setParameter("now", Instant.now().atOffset(java.time.ZoneOffset.UTC))
                .executeUpdate();
    }

    /** Called after this instance's own writes commit, so that they show at once in {@link #isBlocked}. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public void invalidate() {
        cachedAt = Long.MIN_VALUE;
    }
}
