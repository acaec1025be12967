package dev.switchboard.cluster.control;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * How many other members are live, as {@link Membership} last counted them. Every relayed frame asks whether this
 * instance is alone; asked of the Membership EJB, each question was a container invocation with its own transaction
 * (8 % of a core in a 1,000-subscriber fan-out), so the answer is kept here, in a plain bean, where reading it is
 * one volatile read.
 */
@ApplicationScoped
public class LiveMembers {

    private volatile int others;

    /** No other live member: nothing to relay, nothing to wait for. */
    public boolean alone() {
        return others == 0;
    }

    /** Membership's count after each change, set while it holds its own lock, so the two never disagree for long. */
    void others(int count) {
        others = count;
    }
}
