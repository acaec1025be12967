package dev.switchboard.auth.control;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Guards the password check of {@code POST /api/auth/login}: backoff per user name (against guessing one
 * account's password from many addresses) and per client address (against one client guessing many accounts),
 * and a bound on password checks running at once, because each is a deliberately slow PBKDF2 hash that an
 * unauthenticated caller could otherwise use to burn every core.
 * <p>
 * A refused attempt is not checked and not counted: hammering during a lock does not lengthen it, and the right
 * password sent during a lock is refused like any other, so a lock never answers the question "was that right?".
 * A success clears its user name, not its address: a caller who owns one account must not be able to reset its
 * address between guesses at others. The counters live in this instance's memory (a cluster multiplies the
 * attempts an attacker gets by the number of instances).
 */
@ApplicationScoped
public class LoginThrottle {

    /** Whether an attempt may go on; when not, why (for the client) and when to come back. */
    public record Decision(Refusal refusal, long retryAfterSeconds) {
        public boolean allowed() {
            return refusal == null;
        }
    }

    public enum Refusal { USER_LOCKED, ADDRESS_LOCKED, BUSY }

    @Inject
    @ConfigProperty(name = "auth.login.user.free-failures", defaultValue = "5")
    int userFreeFailures;

    @Inject
    @ConfigProperty(name = "auth.login.address.free-failures", defaultValue = "20")
    int addressFreeFailures;

    @Inject
    @ConfigProperty(name = "auth.login.backoff-base-seconds", defaultValue = "1")
    long backoffBaseSeconds;

    @Inject
    @ConfigProperty(name = "auth.login.backoff-max-seconds", defaultValue = "900")
    long backoffMaxSeconds;

    @Inject
    @ConfigProperty(name = "auth.login.failure-window-seconds", defaultValue = "900")
    long failureWindowSeconds;

    @Inject
    @ConfigProperty(name = "auth.login.tracked-max", defaultValue = "10000")
    int trackedMax;

    @Inject
    @ConfigProperty(name = "auth.login.max-concurrent", defaultValue = "2")
    int maxConcurrent;

    private FailureCounters users;
    private FailureCounters addresses;
    private Semaphore checks;

    @PostConstruct
    void init() {
        long base = TimeUnit.SECONDS.toMillis(backoffBaseSeconds);
        long max = TimeUnit.SECONDS.toMillis(backoffMaxSeconds);
        long window = TimeUnit.SECONDS.toMillis(failureWindowSeconds);
        try {
            users = new FailureCounters(userFreeFailures, base, max, window, trackedMax);
            addresses = new FailureCounters(addressFreeFailures, base, max, window, trackedMax);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("auth.login.*: " + e.getMessage(), e);
        }
        checks = new Semaphore(Math.max(1, maxConcurrent));
    }

    /** Forces {@link #init()} at deployment, so that impossible settings fail it (see {@code AuthSettingsCheck}). */
    public void checkSettings() {
        // nothing: calling it creates the bean
    }

    /**
     * Checks the locks, then takes one of the password-check slots. When allowed, the caller must call
     * {@link #finished} or {@link #abandoned} exactly once.
     */
    public Decision begin(String username, String address) {
        long now = nowMillis();
        FailureCounters.Verdict user = users.check(key(username), now);
        FailureCounters.Verdict client = addresses.check(addressKey(address), now);
        if (!user.allowed() || !client.allowed()) {
            long wait = Math.max(user.retryAfterMillis(), client.retryAfterMillis());
            return new Decision(user.allowed() ? Refusal.ADDRESS_LOCKED : Refusal.USER_LOCKED, seconds(wait));
        }
        if (!checks.tryAcquire()) {
            return new Decision(Refusal.BUSY, 1);
        }
        return new Decision(null, 0);
    }

    /** Releases the slot and records the outcome of an allowed attempt. */
    public void finished(String username, String address, boolean succeeded) {
        try {
            long now = nowMillis();
            if (succeeded) {
                users.succeeded(key(username));
            } else {
                users.failed(key(username), now);
                addresses.failed(addressKey(address), now);
            }
        } finally {
            checks.release();
        }
    }

    /** Releases the slot of an allowed attempt whose check could not run (a database fault): nothing is counted. */
    public void abandoned() {
        checks.release();
    }

    /** User names are compared as the attacker would try them: case does not buy another round of guesses. */
    private static String key(String username) {
        return username.toLowerCase(Locale.ROOT);
    }

    /**
     * An IPv6 client is counted by its /64: one host usually holds a whole /64 and could otherwise walk through
     * its addresses for fresh counters.
     */
    static String addressKey(String address) {
        if (address.indexOf(':') < 0) {
            return address;
        }
        String[] groups = address.split(":");
        return groups.length == 8 ? String.join(":", groups[0], groups[1], groups[2], groups[3]) + "::/64" : address;
    }

    /** Monotonic: a wall-clock step must neither lift nor stretch a lock. */
    private static long nowMillis() {
        return System.nanoTime() / 1_000_000;
    }

    /** Rounded up: a client that waits exactly this long finds the lock gone. */
    private static long seconds(long millis) {
        return Math.max(1, (millis + 999) / 1000);
    }
}
