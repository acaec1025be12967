package dev.switchboard.faults;

import dev.switchboard.it.PayaraServer;

final class Stall {
    private final FaultSuite suite;

    Stall(FaultSuite suite) {
        this.suite = suite;
    }

    void run(PayaraServer server) {
    }
}
