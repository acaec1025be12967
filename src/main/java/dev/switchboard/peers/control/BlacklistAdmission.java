package dev.switchboard.peers.control;

import dev.switchboard.cluster.entity.MemberAdmission;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * A blacklisted Switchboard instance is refused by this one: the cluster drops its messages as they arrive, so it
 * leaves this instance's membership (and peer list) within the heartbeat expiry and returns once it is removed from
 * the blacklist. Answers from {@link Blacklist}'s copy (at most {@code blacklist.cache-ms} old).
 */
@ApplicationScoped
public class BlacklistAdmission implements MemberAdmission {

    @Inject
    Blacklist blacklist;

    @Override
    public boolean admits(String memberId) {
        return !blacklist.isBlocked(memberId);
    }
}
