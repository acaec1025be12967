package dev.switchboard.dialect.vault;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.atomic.LongAdder;

/** The vault dialect's own counters for {@code /ws/metrics} and {@code /ws/status}. */
@ApplicationScoped
public class VaultStats {

    final long startedAtMillis = System.currentTimeMillis();
    final LongAdder messagesIn = new LongAdder();
    final LongAdder messagesOut = new LongAdder();
    final LongAdder rateLimited = new LongAdder();
    final LongAdder authFailures = new LongAdder();
    final LongAdder refusedConnections = new LongAdder();
    final LongAdder invalidMessages = new LongAdder();
}
