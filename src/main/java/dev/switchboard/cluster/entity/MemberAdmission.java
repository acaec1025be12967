package dev.switchboard.cluster.entity;

/**
 * Whether this instance takes another member's messages at all. A member refused here is deaf to this instance:
 * its beats, relayed frames and replies are dropped as they arrive, so it leaves this instance's membership within
 * the expiry (reason {@code timeout}) and comes back by itself once it is admitted again. Implemented by whoever
 * keeps the blacklist (a bean of this type); with none, every member is admitted.
 */
public interface MemberAdmission {

    /** Must be cheap and must not throw: it is asked for every message from the backplane. */
    boolean admits(String memberId);
}
