package dev.switchboard.peers.control;

import dev.switchboard.common.Debounce;
import dev.switchboard.peers.entity.BlacklistPublished;
import dev.switchboard.peers.entity.PeersChanged;
import dev.switchboard.peers.entity.PeersPublished;
import dev.switchboard.peers.entity.RelayCandidatesPublished;
import dev.switchboard.peers.entity.RelaySessionsPublished;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.Timer;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The peers domain's periodic publications, each an EJB timer that hands off at once: the peer list every
 * {@code peers.push.interval-seconds} (10), the blacklist every {@code blacklist.push.interval-seconds} (30), and,
 * every {@code relay.push.interval-seconds} (5), relay sessions when {@code relay.mode} is on and relay candidates
 * when {@code relay.nat-mode} is on (no relay timer at all otherwise). A change (a registered peer, a blacklist entry,
 * an instance that came or went) also publishes the lists it touches {@code peers.push.debounce-ms} later, so a
 * client need not wait for the period. Not persistent: a missed publication has no value after a restart. The sweep
 * of expired blacklist entries and stale relay records rides on the blacklist timer; run by every instance, it is
 * an idempotent delete, so it takes no lease.
 */
@Singleton
@Startup
@DependsOn("SchemaMigrator")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class PeersPublisher {

    private static final Logger LOG = Logger.getLogger(PeersPublisher.class.getName());
    private static final String PEERS = "peers.push";
    private static final String BLACKLIST = "blacklist.push";
    private static final String RELAY = "relay.push";

    @Resource
    TimerService timers;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    PeerDirectory directory;

    @Inject
    Blacklist blacklist;

    @Inject
    RelayRecords relay;

    @Inject
    Event<PeersPublished> peersPublished;

    @Inject
    Event<BlacklistPublished> blacklistPublished;

    @Inject
    Event<RelaySessionsPublished> sessionsPublished;

    @Inject
    Event<RelayCandidatesPublished> candidatesPublished;

    @Inject
    @ConfigProperty(name = "peers.push.interval-seconds", defaultValue = "10")
    long peersSeconds;

    @Inject
    @ConfigProperty(name = "blacklist.push.interval-seconds", defaultValue = "30")
    long blacklistSeconds;

    @Inject
    @ConfigProperty(name = "relay.push.interval-seconds", defaultValue = "5")
    long relaySeconds;

    @Inject
    @ConfigProperty(name = "relay.mode", defaultValue = "false")
    boolean relayMode;

    @Inject
    @ConfigProperty(name = "relay.nat-mode", defaultValue = "false")
    boolean natMode;

    @Inject
    @ConfigProperty(name = "peers.push.debounce-ms", defaultValue = "250")
    long debounceMillis;

    private Debounce peersSoon;
    private Debounce blacklistSoon;

    @PostConstruct
    void schedule() {
        peersSoon = new Debounce(scheduler, debounceMillis, this::publishPeers);
        blacklistSoon = new Debounce(scheduler, debounceMillis, this::publishBlacklist);
        every(PEERS, peersSeconds);
        every(BLACKLIST, blacklistSeconds);
        if (relayMode || natMode) {
            every(RELAY, relaySeconds);
        }
        LOG.info(() -> "peers.publisher peers_s=" + peersSeconds + " blacklist_s=" + blacklistSeconds
                + " relay_mode=" + relayMode + " nat_mode=" + natMode + " relay_s=" + relaySeconds);
    }

    private void every(String name, long seconds) {
        long ms = Math.max(1, seconds) * 1000;
        timers.createIntervalTimer(ms, ms, new TimerConfig(name, false));
    }

    /** Outside a transaction: each read below takes its own, so one failure cannot doom the next. */
    @Timeout
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void due(Timer timer) {
        switch (String.valueOf(timer.getInfo())) {
            case PEERS -> publishPeers();
            case BLACKLIST -> {
                sweep();
                publishBlacklist();
            }
            case RELAY -> publishRelay();
            default -> LOG.warning(() -> "peers.publisher.unknown-timer info=" + timer.getInfo());
        }
    }

    public void onChange(@Observes(during = TransactionPhase.AFTER_SUCCESS) PeersChanged change) {
        if (change.blacklist()) {
            blacklist.invalidate();
        }
        peersSoon.trigger();
        if (change.blacklist()) {
            blacklistSoon.trigger();
        }
    }

    public void publishPeers() {
        try {
            peersPublished.fireAsync(new PeersPublished(directory.known()));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "peers.push.failed", e);
        }
    }

    public void publishBlacklist() {
        try {
            blacklistPublished.fireAsync(new BlacklistPublished(blacklist.list()));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "blacklist.push.failed", e);
        }
    }

    void publishRelay() {
        try {
            if (relayMode) {
                sessionsPublished.fireAsync(new RelaySessionsPublished(relay.sessions(true), Instant.now()));
            }
            if (natMode) {
                candidatesPublished.fireAsync(new RelayCandidatesPublished(relay.candidates(true)));
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "relay.push.failed", e);
        }
    }

    private void sweep() {
        try {
            int gone = blacklist.purgeExpired() + relay.purgeStale();
            if (gone > 0) {
                LOG.fine(() -> "peers.sweep deleted=" + gone);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "peers.sweep.failed", e);
        }
    }

    /** Whether relay sessions are shown ({@code relay.mode}); node.status's {@code relay_sessions} counts them then. */
    public boolean relayMode() {
        return relayMode;
    }
}
