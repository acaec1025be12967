package dev.switchboard.cluster.entity;

import java.time.Instant;
import java.util.List;

/** The set of members changed; the full list after the change. */
public record TopologyChanged(List<Member> members, Instant at) {
}
