package dev.switchboard.cluster.control;

import dev.switchboard.cluster.entity.Member;
import dev.switchboard.cluster.entity.MemberHealthChanged;
import dev.switchboard.cluster.entity.MemberHeartbeat;
import dev.switchboard.cluster.entity.MemberJoined;
import dev.switchboard.cluster.entity.MemberLeft;
import dev.switchboard.cluster.entity.TopologyChanged;
import dev.switchboard.common.JsonText;
import dev.switchboard.ops.entity.ThresholdCrossed;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The other live instances, from heartbeats with expiry. Every {@code cluster.heartbeat.interval-ms} this instance
 * refreshes its record in the engine (time to live: {@code interval × cluster.heartbeat.misses}) and publishes a
 * beat with its figures. A member is known from its first beat (or its record, found when this instance starts or
 * the backplane returns) and leaves when it says goodbye ({@code reason=shutdown}) or when nothing was heard of it
 * for {@code interval × misses} ({@code reason=timeout}, the value spec/vault.md shows for {@code peer_disconnected}): a member killed with {@code kill -9} right after a beat is
 * gone everywhere within {@code (misses + 1) × interval} (the expiry plus one check period), 8 s by default.
 * Silence for two intervals makes it {@code degraded} ({@link MemberHealthChanged}), the next beat {@code healthy}.
 * <p>
 * Remote members' events are fired the way {@link LocalMember} fires this instance's: {@link MemberLeft}
 * synchronously, the others asynchronously; {@code self} is false in all of them. This instance's own join, beats and goodbye stay
 * {@link LocalMember}'s. While the backplane is unreachable nothing is heard, so the others expire here (and this
 * one there); when it returns they rejoin. A vault alert ({@code network_alert}, metric {@code cluster_backplane})
 * says when the backplane is lost and when it is back.
 */
@Singleton
@Startup
@DependsOn("LocalMember")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class Membership {

    private static final Logger LOG = Logger.getLogger(Membership.class.getName());
    static final String BEAT = "beat";
    static final String BYE = "bye";

    @Resource
    TimerService timers;

    @Inject
    ClusterBus bus;

    @Inject
    LocalMember local;

    @Inject
    Relay relay;

    @Inject
    ClusterPresence presence;

    @Inject
    Leases leases;

    @Inject
    Tallies tallies;

    @Inject
    Inquiries inquiries;

    @Inject
    Event<MemberJoined> joined;

    @Inject
    Event<MemberLeft> left;

    @Inject
    Event<MemberHeartbeat> heartbeat;

    @Inject
    Event<MemberHealthChanged> health;

    @Inject
    Event<TopologyChanged> topology;

    @Inject
    Event<ThresholdCrossed> alerts;

    @Inject
    @ConfigProperty(name = "cluster.heartbeat.interval-ms", defaultValue = "2000")
    long intervalMillis;

    @Inject
    @ConfigProperty(name = "cluster.heartbeat.misses", defaultValue = "3")
    int misses;

    private static final class Remote {
        Member member;
        long lastSeenNanos;
        long lastSequence;
        String health = "healthy";

        Remote(Member member, long now) {
            this.member = member;
            this.lastSeenNanos = now;
        }
    }

    @Inject
    LiveMembers live;

    private final Map<String, Remote> remotes = new HashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicBoolean discover = new AtomicBoolean(true);
    private final AtomicBoolean lostReported = new AtomicBoolean();
    private volatile boolean stopping;

    @PostConstruct
    void start() {
        // every handler is in place before the first message can arrive
        relay.listen();
        presence.listen();
        tallies.listen();
        inquiries.listen();
        bus.on(BEAT, this::onBeat);
        bus.on(BYE, this::onBye);
        bus.onReachable(this::onReachable);
        bus.start(local.member().id());
        timers.createIntervalTimer(intervalMillis, intervalMillis, new TimerConfig("cluster.heartbeat", false));
        LOG.info(() -> "cluster.membership.started engine=" + bus.engineName() + " interval-ms=" + intervalMillis
                + " misses=" + misses + " expiry-ms=" + expiry().toMillis());
    }

    Duration expiry() {
        return Duration.ofMillis(intervalMillis * Math.max(1, misses));
    }

    @Timeout
    void tick() {
        if (stopping) {
            return;
        }
        try {
            beat();
            if (discover.getAndSet(false)) {
                discover();
            }
            expire();
            leases.renewKept();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cluster.heartbeat.failed", e);
        }
    }

    private void beat() {
        Member self = local.member();
        bus.engine().register(self.id(), MemberCodec.json(self).build().toString(), expiry());
        MemberHeartbeat f = local.figures();
        bus.publish(bus.message(BEAT).add("member", MemberCodec.json(self)).add("seq", sequence.incrementAndGet())
                .add("uptime", f.uptimeSeconds()).add("connections", f.connections())
                .add("load", f.systemLoadAverage()).add("heap_used", f.heapUsed()).add("heap_max", f.heapMax())
                .add("at", f.at().toEpochMilli()));
    }

    /** The records in the engine: members that were there before this one (or before the backplane came back). */
    private void discover() {
        Map<String, String> records = bus.engine().members();
        String selfId = local.member().id();
        long now = System.nanoTime();
        for (var e : records.entrySet()) {
            if (e.getKey().equals(selfId) || !bus.admitted(e.getKey())) {
                continue;
            }
            try {
                Member m = MemberCodec.member(JsonText.parse(e.getValue()).asJsonObject());
                seen(m, now, 0, null);
            } catch (RuntimeException ex) {
                LOG.log(Level.FINE, "cluster.member.record.unreadable id=" + e.getKey(), ex);
            }
        }
    }

    private void onBeat(JsonObject m) {
        Member member = MemberCodec.member(m.getJsonObject("member"));
        long seq = m.getJsonNumber("seq").longValue();
        Instant at = Instant.ofEpochMilli(m.getJsonNumber("at").longValue());
        Instant now = Instant.now();
        boolean fresh = seen(member, System.nanoTime(), seq, at);
        MemberHeartbeat beat = new MemberHeartbeat(member, m.getJsonNumber("uptime").longValue(), m.getInt("connections"),
                m.getJsonNumber("load").doubleValue(), m.getJsonNumber("heap_used").longValue(),
                m.getJsonNumber("heap_max").longValue(), at, false, seq, now);
        heartbeat.fireAsync(beat);
        if (fresh) {
            beat(); // the newcomer learns of us at once, not one interval later
        }
    }

    /** @return whether the member is new here */
    private boolean seen(Member member, long now, long seq, Instant at) {
        MemberHealthChanged recovered = null;
        boolean fresh;
        List<Member> all = null;
        synchronized (remotes) {
            Remote r = remotes.get(member.id());
            fresh = r == null;
            if (fresh) {
                r = new Remote(member, now);
                remotes.put(member.id(), r);
                live.others(remotes.size());
                all = membersLocked();
            } else {
                r.member = member;
                r.lastSeenNanos = Math.max(r.lastSeenNanos, now);
                if (!"healthy".equals(r.health)) {
                    recovered = new MemberHealthChanged(member, "healthy", r.health, Instant.now());
                    r.health = "healthy";
                }
            }
            if (seq > 0) {
                r.lastSequence = seq;
            }
        }
        if (fresh) {
            LOG.info(() -> "cluster.member.joined id=" + member.id() + " name=" + member.name()
                    + " address=" + member.address() + ":" + member.port());
            MemberJoined event = new MemberJoined(member, false, Instant.now());
            joined.fireAsync(event);
            fireTopology(all);
        }
        if (recovered != null) {
            health.fireAsync(recovered);
        }
        return fresh;
    }

    private void onBye(JsonObject m) {
        gone(m.getString("id"), "shutdown");
    }

    private void gone(String id, String reason) {
        Remote r;
        List<Member> all;
        synchronized (remotes) {
            r = remotes.remove(id);
            live.others(remotes.size());
            all = membersLocked();
        }
        if (r == null) {
            return;
        }
        LOG.info(() -> "cluster.member.left id=" + id + " name=" + r.member.name() + " reason=" + reason);
        MemberLeft event = new MemberLeft(r.member, false, reason, Instant.now());
        left.fire(event);
        fireTopology(all);
    }

    private void expire() {
        long now = System.nanoTime();
        long expiryNanos = expiry().toNanos();
        long degradedNanos = Duration.ofMillis(intervalMillis * 2).toNanos();
        List<String> expired = new ArrayList<>();
        List<MemberHealthChanged> degraded = new ArrayList<>();
        synchronized (remotes) {
            for (Remote r : remotes.values()) {
                long silent = now - r.lastSeenNanos;
                if (silent > expiryNanos) {
                    expired.add(r.member.id());
                } else if (silent > degradedNanos && "healthy".equals(r.health)) {
                    degraded.add(new MemberHealthChanged(r.member, "degraded", r.health, Instant.now()));
                    r.health = "degraded";
                }
            }
        }
        for (MemberHealthChanged d : degraded) {
            health.fireAsync(d);
        }
        for (String id : expired) {
            gone(id, "timeout");
        }
    }

    private void fireTopology(List<Member> all) {
        TopologyChanged event = new TopologyChanged(all, Instant.now());
        topology.fireAsync(event);
    }

    private List<Member> membersLocked() {
        List<Member> all = new ArrayList<>(remotes.size() + 1);
        all.add(local.member());
        remotes.values().forEach(r -> all.add(r.member));
        return List.copyOf(all);
    }

    private void onReachable(boolean reachable) {
        if (reachable) {
            discover.set(true);
            if (lostReported.compareAndSet(true, false)) {
                alert(ThresholdCrossed.RESOLVED, 1, "Cluster backplane (" + bus.engineName() + ") reachable again");
            }
        } else if (!stopping && lostReported.compareAndSet(false, true)) {
            alert(ThresholdCrossed.CRITICAL, 0, "Cluster backplane (" + bus.engineName()
                    + ") unreachable: this instance serves its own clients only");
        }
    }

    private void alert(String level, double value, String message) {
        LOG.warning(() -> "cluster.backplane level=" + level + " message=" + message);
        alerts.fireAsync(new ThresholdCrossed(ThresholdCrossed.Kind.NETWORK, level, "cluster_backplane", value, 1,
                message, Instant.now()));
    }

    /** The other live members now. */
    public List<Member> others() {
        synchronized (remotes) {
            return remotes.values().stream().map(r -> r.member).toList();
        }
    }

    /** The ids of the other live members now. */
    public Set<String> otherIds() {
        synchronized (remotes) {
            return Set.copyOf(remotes.keySet());
        }
    }

    public boolean alone() {
        synchronized (remotes) {
            return remotes.isEmpty();
        }
    }

    /** Whether the backplane is reachable (always for the in-memory engine). */
    public boolean reachable() {
        return bus.reachable();
    }

    public String engineName() {
        return bus.engineName();
    }

    public long expiryMillis() {
        return expiry().toMillis();
    }

    /** A clean stop: goodbye to the others, and our record goes at once. */
    @PreDestroy
    void stop() {
        stopping = true;
        leases.releaseKept();
        try {
            bus.publish(bus.message(BYE).add("id", local.member().id()));
            bus.engine().deregister(local.member().id());
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "cluster.goodbye.failed", e);
        }
    }
}
