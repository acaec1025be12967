package dev.switchboard.auth.control;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.atomic.LongAdder;

/** Counts refused credentials (bad logins, tokens that fail verification) for the security alert. */
@ApplicationScoped
public class AuthFailures {

    private final LongAdder total = new LongAdder();

    public void record() {
        total.increment();
    }

    public long total() {
        return total.sum();
    }
}
