package dev.switchboard.faults;

import dev.switchboard.it.PayaraServer;

final class KillRounds {
    private final FaultSuite suite;

    KillRounds(FaultSuite suite) {
        this.suite = suite;
    }

    void run(PayaraServer server) {
    }
}
