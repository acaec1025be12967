package dev.switchboard.peers.control;

import dev.switchboard.cluster.entity.Member;
import dev.switchboard.common.JsonText;
import dev.switchboard.peers.entity.PeerView;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The other Switchboard instances, as membership events describe them: who is live, where, since when, and how
 * well their heartbeats arrive ({@link HeartbeatQuality}). This instance is never in it. An instance is dropped when
 * it leaves, when a topology no longer lists it, or when {@code expiryBeats} heartbeats in a row are overdue (a
 * member that died without a goodbye). At most {@code max} instances are held; past that, new ones are ignored
 * (and logged by the caller). Thread-safe: every method holds the table's lock, none of them blocks.
 */
final class InstanceTable {

    /** A peer's capabilities moved from {@code previous} to {@code capabilities}. */
    record CapabilityChange(String peerId, List<String> capabilities, List<String> previous) {
    }

    private static final class Instance {
        Member member;
        String health = "healthy";
        final HeartbeatQuality quality;

        Instance(Member member, Duration interval) {
            this.member = member;
            this.quality = new HeartbeatQuality(interval);
        }
    }

    private final String selfId;
    private final Duration interval;
    private final long expiryBeats;
    private final int max;
    private final Map<String, Instance> instances = new LinkedHashMap<>();

    InstanceTable(String selfId, Duration interval, long expiryBeats, int max) {
        this.selfId = selfId;
        this.interval = interval;
        this.expiryBeats = Math.max(1, expiryBeats);
        this.max = max;
    }

    /** A member joined (or announced itself again); its join counts as a heartbeat sent at {@code at}. */
    synchronized Optional<CapabilityChange> joined(Member member, Instant at, Instant now) {
        return seen(member, at, now);
    }

    /** A heartbeat; an unknown member is taken as joined (its join may have been missed). */
    synchronized Optional<CapabilityChange> heartbeat(Member member, Instant at, Instant now) {
        return seen(member, at, now);
    }

    private Optional<CapabilityChange> seen(Member member, Instant at, Instant now) {
        if (member == null || member.id() == null || member.id().equals(selfId)) {
            return Optional.empty();
        }
        Instance known = instances.get(member.id());
        List<String> previous;
        if (known == null) {
            if (instances.size() >= max) {
                return Optional.empty();
            }
            known = new Instance(member, interval);
            instances.put(member.id(), known);
            previous = List.of();
        } else {
            previous = capabilities(known.member);
            known.member = member;
        }
        known.quality.beat(at == null ? now : at, now);
        List<String> current = capabilities(member);
        return new HashSet<>(previous).equals(new HashSet<>(current)) ? Optional.empty()
                : Optional.of(new CapabilityChange(member.id(), current, previous));
    }

    /** Whether a member joining now would be refused for want of room. */
    synchronized boolean full(String peerId) {
        return instances.size() >= max && !instances.containsKey(peerId);
    }

    synchronized boolean left(Member member) {
        return member != null && instances.remove(member.id()) != null;
    }

    synchronized void health(Member member, String health) {
        Instance known = member == null ? null : instances.get(member.id());
        if (known != null && health != null) {
            known.health = health;
        }
    }

    /** The full member list after a change: the ones it leaves out are gone; new ones count as joined at {@code at}. */
    synchronized List<CapabilityChange> topology(List<Member> members, Instant at, Instant now) {
        Set<String> listed = new HashSet<>();
        List<CapabilityChange> changes = new ArrayList<>();
        for (Member m : members) {
            if (m == null || m.id() == null) {
                continue;
            }
            listed.add(m.id());
            if (!instances.containsKey(m.id())) {
                seen(m, at, now).ifPresent(changes::add);
            }
        }
        instances.keySet().removeIf(id -> !listed.contains(id));
        return changes;
    }

    /** Drops the instances silent for {@code expiryBeats} intervals; returns how many went. */
    synchronized int expire(Instant now) {
        int before = instances.size();
        instances.values().removeIf(i -> i.quality.overdue(now) >= expiryBeats);
        return before - instances.size();
    }

    synchronized Set<String> ids() {
        return Set.copyOf(instances.keySet());
    }

    synchronized int size() {
        return instances.size();
    }

    synchronized boolean contains(String peerId) {
        return instances.containsKey(peerId);
    }

    /** The live instances (expired ones dropped first), ordered by peer id. */
    synchronized List<PeerView> snapshot(Instant now) {
        expire(now);
        List<PeerView> out = new ArrayList<>(instances.size());
        for (Instance i : instances.values()) {
            Member m = i.member;
            out.add(new PeerView(m.id(), List.of(address(m.address(), m.port())), i.quality.lastArrival(), false, false,
                    i.quality.quality(now), metadata(i), capabilities(m), true));
        }
        out.sort(Comparator.comparing(PeerView::id));
        return out;
    }

    /** host:port, with an IPv6 literal in brackets. */
    static String address(String host, int port) {
        String h = host == null || host.isBlank() ? "unknown" : host;
        return (h.indexOf(':') >= 0 && !h.startsWith("[") ? "[" + h + "]" : h) + ":" + port;
    }

    private static String metadata(Instance i) {
        Member m = i.member;
        return JsonText.object()
                .add("source", "instance")
                .add("name", m.name() == null ? "" : m.name())
                .add("version", m.version() == null ? "" : m.version())
                .add("health", i.health)
                .add("heartbeats_received", i.quality.received())
                .add("heartbeats_lost", i.quality.lost())
                .add("heartbeat_delay_ms", i.quality.medianDelay())
                .build().toString();
    }

    private static List<String> capabilities(Member m) {
        return m.capabilities() == null ? List.of() : List.copyOf(m.capabilities());
    }
}
