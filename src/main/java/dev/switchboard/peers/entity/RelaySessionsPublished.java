package dev.switchboard.peers.entity;

import java.time.Instant;
import java.util.List;

/** Relay sessions in relay mode, every {@code relay.push.interval-seconds}; {@code at} gives their durations. */
public record RelaySessionsPublished(List<RelaySessionView> sessions, Instant at) {
}
