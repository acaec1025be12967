package dev.switchboard.service.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Lob;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.OffsetDateTime;

/**
 * A service this node offers, and which instance of the cluster registered it (its host: the peer that answers for
 * it in a search across the network; every instance shares the table). Config, capabilities and interfaces are JSON documents kept as text: their shape
 * belongs to the service type and its runner, not to the schema.
 */
@Entity
@Table(name = "sb_service")
@NamedQuery(name = Service.ALL, query = "SELECT s FROM Service s ORDER BY s.id")
@NamedQuery(name = Service.BY_NAME, query = "SELECT s FROM Service s WHERE s.name = :name")
@NamedQuery(name = Service.COUNT, query = "SELECT COUNT(s) FROM Service s")
@NamedQuery(name = Service.SEARCH, query = "SELECT s FROM Service s WHERE (LOWER(s.name) LIKE :q OR LOWER(s.description) LIKE :q)"
        + " AND s.type IN :types AND s.status IN :statuses ORDER BY s.id")
@NamedQuery(name = Service.SEARCH_HOSTED, query = "SELECT s FROM Service s WHERE (LOWER(s.name) LIKE :q OR LOWER(s.description) LIKE :q)"
        + " AND s.type IN :types AND s.status IN :statuses AND s.hostPeerId IN :hosts ORDER BY s.id")
@NamedQuery(name = Service.SEARCH_HOSTED_OR_UNHOSTED, query = "SELECT s FROM Service s WHERE (LOWER(s.name) LIKE :q OR LOWER(s.description) LIKE :q)"
        + " AND s.type IN :types AND s.status IN :statuses AND (s.hostPeerId IN :hosts OR s.hostPeerId IS NULL) ORDER BY s.id")
@NamedQuery(name = Service.HOSTS, query = "SELECT DISTINCT s.hostPeerId FROM Service s WHERE s.hostPeerId IS NOT NULL")
public class Service {

    public static final String ALL = "Service.all";
    public static final String BY_NAME = "Service.byName";
    public static final String COUNT = "Service.count";
    public static final String SEARCH = "Service.search";
    public static final String SEARCH_HOSTED = "Service.searchHosted";
    public static final String SEARCH_HOSTED_OR_UNHOSTED = "Service.searchHostedOrUnhosted";
    public static final String HOSTS = "Service.hosts";

    @Id
    @SequenceGenerator(name = "sb_service_seq", sequenceName = "sb_service_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "sb_service_seq")
    private Long id;

    @Column(nullable = false, unique = true)
    private String name;

    @Column(nullable = false)
    private String description;

    @Enumerated(EnumType.STRING)
    @Column(name = "service_type", nullable = false)
    private ServiceType type;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private ServiceStatus status;

    @Lob
    @Column(name = "config_json", nullable = false)
    private String configJson;

    @Lob
    @Column(name = "capabilities_json", nullable = false)
    private String capabilitiesJson;

    @Lob
    @Column(name = "interfaces_json", nullable = false)
    private String interfacesJson;

    @Embedded
    private Pricing pricing;

    @Column(name = "created_at", nullable = false)
    private OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    private OffsetDateTime updatedAt;

    /** The peer id of the instance that registered it (null: registered before instances were told apart). */
    @Column(name = "host_peer_id")
    private String hostPeerId;

    @Version
    private long version;

    protected Service() {
        // JPA
    }

    /** @param hostPeerId the instance registering it: it answers for the service in a search across the network */
    public Service(ServiceDefinition definition, String hostPeerId) {
        this.createdAt = OffsetDateTime.now();
        this.hostPeerId = hostPeerId;
        apply(definition);
    }

    /** Replaces everything a client may set (the host stays: a service does not move by being edited). */
    public final void apply(ServiceDefinition d) {
        this.name = d.name();
        this.description = d.description();
        this.type = d.type();
        this.status = d.status();
        this.configJson = d.configJson();
        this.capabilitiesJson = d.capabilitiesJson();
        this.interfacesJson = d.interfacesJson();
        this.pricing = d.pricing();
        this.updatedAt = OffsetDateTime.now();
    }

    public ServiceView view() {
        return new ServiceView(id, name, description, type, status, configJson, capabilitiesJson, interfacesJson,
                pricing.amount(), pricing.type(), pricing.interval(), pricing.unit(),
                createdAt.toInstant(), updatedAt.toInstant());
    }

    public Long id() {
        return id;
    }

    public String name() {
        return name;
    }

    public ServiceType type() {
        return type;
    }
}
