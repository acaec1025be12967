package dev.switchboard.dialect;

import dev.switchboard.common.ClientAddresses;
import dev.switchboard.auth.entity.TokenPrincipal;
import dev.switchboard.hub.control.RateLimit;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * The connection slots of every dialect: at most {@code maxConnections} open in total and
 * {@code maxConnectionsPerAddress} from one client address, and, where a dialect asks for it, a token bucket per
 * address for handshakes without a token. A slot is taken at the handshake, before the upgrade, so that a burst of
 * handshakes cannot all pass a count that only grows once their endpoints opened; it is given back when the hub
 * forgets the connection, when the upgrade does not happen, or when no endpoint claimed it within
 * {@value #CLAIM_WITHIN_SECONDS} s.
 *
 * <p>Loopback clients are counted in the totals but, while {@code switchboard.limits.exempt-loopback} is true (the
 * default), not per address: local tools and the benchmark open thousands of connections from 127.0.0.1. A proxy on
 * this host must then be listed in {@code switchboard.trusted-proxies}, or all its clients share the loopback
 * exemption; the guard logs that case.
 */
@ApplicationScoped
public class Admissions {

    static final long CLAIM_WITHIN_SECONDS = 30;
    private static final long SWEEP_SECONDS = 5;
    private static final Logger LOG = Logger.getLogger(Admissions.class.getName());
    private static final Runnable NOTHING = () -> { };

    /** What a handshake gets: an {@link Admission}, or a {@link Refusal}. */
    public sealed interface Verdict permits Admission, Refusal {
    }

    /** An HTTP refusal of the handshake: status, message for the JSON body, and {@code Retry-After} (0: none). */
    public record Refusal(int status, String message, long retryAfterSeconds) implements Verdict {
    }

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    @ConfigProperty(name = "switchboard.limits.exempt-loopback", defaultValue = "true")
    boolean exemptLoopback;

    private final ConcurrentHashMap<String, AtomicInteger> totals = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Integer> perAddress = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, RateLimit> anonymousConnects = new ConcurrentHashMap<>();
    private final Set<Admission> pending = ConcurrentHashMap.newKeySet();
    private ScheduledFuture<?> sweep;
    private final AtomicLong refusalsUnlogged = new AtomicLong();
    private final AtomicLong lastRefusalLogNanos = new AtomicLong(System.nanoTime() - 1_000_000_000L);

    @PostConstruct
    void start() {
        if (scheduler != null) {
            sweep = scheduler.scheduleAtFixedRate(this::sweep, SWEEP_SECONDS, SWEEP_SECONDS, TimeUnit.SECONDS);
        }
    }

    @PreDestroy
    void stop() {
        if (sweep != null) {
            sweep.cancel(false);
        }
    }

    /**
     * A slot for one handshake to {@code dialect}.
     *
     * @return an {@link Admission} (which, for a dialect that refuses in-band, may carry a {@link Admission#refusal}
     *         and hold no slot), or a {@link Refusal} to answer over HTTP
     */
    public Verdict admit(Dialect dialect, TokenPrincipal token, String rejectedToken, ClientAddresses.Client client) {
        Dialect.Limits limits = dialect.limits();
        String addressKey = exemptLoopback && client.loopback() ? null : dialect.name() + ' ' + client.key();
        long now = System.nanoTime();
        if (token == null && addressKey != null && limits.anonymousConnectsPerSecond() > 0) {
            long[] retryAfterMillis = {-1};
            // inside compute, so that the sweep cannot drop the bucket between the lookup and the take
            anonymousConnects.compute(addressKey, (k, bucket) -> {
                RateLimit b = bucket != null ? bucket
                        : new RateLimit(limits.anonymousConnectsPerSecond(), limits.anonymousConnectBurst(), now);
                if (!b.tryAcquire(now)) {
                    retryAfterMillis[0] = b.retryAfterMillis();
                }
                return b;
            });
            if (retryAfterMillis[0] >= 0) {
                return refuse(dialect, token, rejectedToken, client, 429,
                        "Too many connections without a token from your address; retry later",
                        Math.max(1, (retryAfterMillis[0] + 999) / 1000));
            }
        }
        AtomicInteger total = totals.computeIfAbsent(dialect.name(), k -> new AtomicInteger());
        if (total.incrementAndGet() > limits.maxConnections()) {
            total.decrementAndGet();
            return refuse(dialect, token, rejectedToken, client, 503,
                    "Server is not accepting connections to " + dialect.path() + ": the limit of "
                            + limits.maxConnections() + " is reached; try again later", 0);
        }
        if (addressKey != null) {
            boolean[] taken = {false};
            perAddress.compute(addressKey, (k, n) -> {
                int open = n == null ? 0 : n;
                if (open >= limits.maxConnectionsPerAddress()) {
                    return n;
                }
                taken[0] = true;
                return open + 1;
            });
            if (!taken[0]) {
                total.decrementAndGet();
                return refuse(dialect, token, rejectedToken, client, 429,
                        "Too many connections to " + dialect.path() + " from your address: at most "
                                + limits.maxConnectionsPerAddress(), 0);
            }
        }
        Admission admission = new Admission(dialect.name(), token, rejectedToken, client.address(), null,
                () -> giveBack(total, addressKey));
        pending.add(admission);
        return admission;
    }

    private Verdict refuse(Dialect dialect, TokenPrincipal token, String rejectedToken, ClientAddresses.Client client,
                          int status, String message, long retryAfterSeconds) {
        long suppressed = refusalsUnlogged.incrementAndGet();
        long now = System.nanoTime();
        long last = lastRefusalLogNanos.get();
        // a flood is refused by the thousand: one line a second says so without amplifying it into the log
        if (now - last >= 1_000_000_000L && lastRefusalLogNanos.compareAndSet(last, now)) {
            refusalsUnlogged.addAndGet(-suppressed);
            LOG.info(() -> "ws.handshake.refused reason=limit status=" + status + " dialect=" + dialect.name()
                    + " client=" + client.address() + " refusals-since-last-line=" + suppressed);
        }
        if (dialect.limits().refusedInBand()) {
            return new Admission(dialect.name(), token, rejectedToken, client.address(), message, NOTHING);
        }
        return new Refusal(status, message, retryAfterSeconds);
    }

    private void giveBack(AtomicInteger total, String addressKey) {
        total.decrementAndGet();
        if (addressKey != null) {
            perAddress.computeIfPresent(addressKey, (k, n) -> n <= 1 ? null : n - 1);
        }
    }

    /** Open (or admitted, not yet opened) connections of a dialect. */
    public int open(String dialect) {
        AtomicInteger n = totals.get(dialect);
        return n == null ? 0 : n.get();
    }

    /** Forgets claimed admissions, gives back the slots of unclaimed old ones, and drops refilled buckets. */
    void sweep() {
        long now = System.nanoTime();
        long maxAge = TimeUnit.SECONDS.toNanos(CLAIM_WITHIN_SECONDS);
        pending.removeIf(a -> {
            if (a.expireIfUnclaimed(now, maxAge)) {
                LOG.info(() -> "ws.admission.expired dialect=" + a.dialect() + " client=" + a.clientAddress());
                return true;
            }
            return a.settled();
        });
        for (String key : anonymousConnects.keySet()) {
            anonymousConnects.computeIfPresent(key, (k, bucket) -> bucket.isFull(now) ? null : bucket);
        }
    }
}
