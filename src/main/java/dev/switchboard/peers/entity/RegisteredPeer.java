package dev.switchboard.peers.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * A peer registered over REST: one that is not a Switchboard instance (a libp2p node, a relay), so nothing but
 * its registration tells this node about it. The peer id is the key: it is what every list and the blacklist name.
 */
@Entity
@Table(name = "sb_peer")
@NamedQuery(name = RegisteredPeer.ALL, query = "SELECT p FROM RegisteredPeer p ORDER BY p.peerId")
@NamedQuery(name = RegisteredPeer.COUNT, query = "SELECT COUNT(p) FROM RegisteredPeer p")
public class RegisteredPeer {

    public static final String ALL = "RegisteredPeer.all";
    public static final String COUNT = "RegisteredPeer.count";

    @Id
    @Column(name = "peer_id")
    private String peerId;

    @Column(name = "addresses_json", nullable = false)
    private String addressesJson;

    @Column(name = "is_relay", nullable = false)
    private boolean relay;

    @Column(name = "can_be_relay", nullable = false)
    private boolean canBeRelay;

    @Column(name = "connection_quality", nullable = false)
    private int connectionQuality;

    @Column(name = "metadata_json", nullable = false)
    private String metadataJson;

    @Column(name = "capabilities_json", nullable = false)
    private String capabilitiesJson;

    @Column(name = "last_seen", nullable = false)
    private OffsetDateTime lastSeen;

    @Column(name = "created_at", nullable = false)
    private OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    private OffsetDateTime updatedAt;

    @Version
    private long version;

    protected RegisteredPeer() {
        // JPA
    }

    public RegisteredPeer(PeerDefinition d, OffsetDateTime now) {
        this.peerId = d.id();
        this.createdAt = now;
        apply(d, now);
    }

    /** Replaces everything a client may set; a write without {@code last_seen} counts as a sighting now. */
    public final void apply(PeerDefinition d, OffsetDateTime now) {
        this.addressesJson = JsonLists.write(d.addresses());
        this.relay = d.isRelay();
        this.canBeRelay = d.canBeRelay();
        this.connectionQuality = d.connectionQuality();
        this.metadataJson = d.metadataJson();
        this.capabilitiesJson = JsonLists.write(d.capabilities());
        this.lastSeen = d.lastSeen() == null ? now : d.lastSeen().atOffset(ZoneOffset.UTC);
        this.updatedAt = now;
    }

    public List<String> capabilities() {
        return JsonLists.read(capabilitiesJson);
    }

    public PeerView view() {
        return new PeerView(peerId, JsonLists.read(addressesJson), lastSeen.toInstant(), relay, canBeRelay,
                connectionQuality, metadataJson, capabilities(), false);
    }

    public OffsetDateTime createdAt() {
        return createdAt;
    }

    public OffsetDateTime updatedAt() {
        return updatedAt;
    }
}
