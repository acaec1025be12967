package dev.switchboard.service.control;

import dev.switchboard.cluster.control.Inquiries;
import dev.switchboard.cluster.control.Membership;
import dev.switchboard.cluster.entity.InquiryAnswerer;
import dev.switchboard.common.JsonText;
import dev.switchboard.node.control.NodeIdentity;
import dev.switchboard.peers.control.Blacklist;
import dev.switchboard.service.entity.ServiceStatus;
import dev.switchboard.service.entity.ServiceType;
import dev.switchboard.service.entity.ServiceView;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A search over this node and its peers, streamed: this node's matches first, then each peer's as it answers, then
 * the end, which names the peers asked that did not answer.
 * <p>
 * <b>Whose services.</b> The instances of a cluster share one database, so "a peer's services" cannot mean the rows
 * it can read (every instance reads them all): a service belongs to the instance that registered it, its host
 * ({@code sb_service.host_peer_id}). Each live instance asked answers for the services it hosts. The instance the
 * client asked answers, besides its own, for the services no live instance hosts (rows from before hosts were
 * recorded, services of an instance that is gone or whose identity changed): every instance can run them (the
 * database, the storage and the executions are shared), and without this they would be found by nobody. Each
 * service is then in exactly one partial answer. A blacklisted peer is left out of the search: it is not asked,
 * and the services it hosts are in nobody's answer.
 * <p>
 * <b>Bounds.</b> Each answer holds at most {@code service.search.max-results} services (a peer's also at most
 * {@code service.search.peer-answer-max-bytes} of JSON), the whole search at most
 * {@code service.search.max-total-results} (past it the services are cut and the end's {@code error} says so);
 * the peers get {@code service.search.peer-timeout-ms} to answer, and how many searches wait on peers at once is
 * {@code cluster.inquiry.max-pending}'s business.
 */
@ApplicationScoped
public class ServiceSearch implements InquiryAnswerer {

    private static final Logger LOG = Logger.getLogger(ServiceSearch.class.getName());
    static final String TOPIC = "service.search";
    private static final int MAX_QUERY_CHARS = 256;
    /** Peers the end's {@code error} names at most (then "and N more"). */
    static final int MAX_NAMED = 16;

    /** What a client asked for, already validated. */
    public record Query(String text, Set<ServiceType> types, Set<String> peerIds, boolean activeOnly) {
    }

    /** Where partial answers go, in order: every {@link #partial} before the one {@link #complete}. */
    public interface Sink {
        void partial(String peerId, String peerName, List<ServiceView> services);

        /** The end; {@code error} is empty when every peer asked answered in full. */
        void complete(String error);
    }

    @Inject
    ServiceRegistry registry;

    @Inject
    NodeIdentity identity;

    @Inject
    Membership membership;

    @Inject
    Inquiries inquiries;

    @Inject
    Blacklist blacklist;

    @Inject
    @ConfigProperty(name = "service.search.max-results", defaultValue = "1000")
    int maxResults;

    @Inject
    @ConfigProperty(name = "service.search.max-total-results", defaultValue = "10000")
    int maxTotalResults;

    @Inject
    @ConfigProperty(name = "service.search.peer-timeout-ms", defaultValue = "2000")
    long peerTimeoutMillis;

    @Inject
    @ConfigProperty(name = "service.search.peer-answer-max-bytes", defaultValue = "4194304")
    int peerAnswerMaxBytes;

    /** Streams the answer of this node (unless {@code peerIds} leaves it out) and of the peers asked. */
    public void search(Query query, Sink sink) {
        String self = identity.peerId();
        Set<String> blocked = blacklist.blockedIds();
        Set<String> live = new LinkedHashSet<>(membership.otherIds());
        live.removeAll(blocked);
        boolean everyone = query.peerIds().isEmpty();
        boolean includeSelf = everyone || query.peerIds().contains(self);
        Set<String> ask = new LinkedHashSet<>();
        Map<String, String> notConnected = new LinkedHashMap<>();
        if (everyone) {
            ask.addAll(live);
        } else {
            for (String id : query.peerIds()) {
                if (live.contains(id)) {
                    ask.add(id);
                } else if (!id.equals(self) && !blocked.contains(id)) {
                    notConnected.put(id, "not connected");
                }
            }
        }
        Stream stream = new Stream(sink, Math.max(0, maxTotalResults), peerTimeoutMillis, notConnected, !includeSelf);
        if (!inquiries.ask(TOPIC, question(query), ask, peerTimeoutMillis, stream)) {
            Map<String, String> refused = new LinkedHashMap<>();
            ask.forEach(id -> refused.put(id, Inquiries.BUSY));
            stream.ended(refused);
        }
        if (includeSelf) {
            try {
                // this node's own services and those of no live instance; never those of a live or blacklisted one
                Set<String> hosts = new HashSet<>(registry.hosts());
                hosts.removeAll(live);
                hosts.removeAll(blocked);
                hosts.add(self);
                stream.local(self, identity.name(), registry.searchHosted(query.text(), query.types(),
                        query.activeOnly(), maxResults, hosts, true));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "service.search.local.failed", e);
                stream.localFailed();
            }
        }
    }

    /** A question's text: the query, never more. */
    static JsonObject question(Query query) {
        var types = JsonText.array();
        query.types().forEach(t -> types.add(t.name()));
        return JsonText.object().add("q", query.text()).add("types", types).add("active", query.activeOnly()).build();
    }

    @Override
    public String topic() {
        return TOPIC;
    }

    /** Another instance asks: the services this one hosts that match. */
    @Override
    public JsonObject answer(JsonObject question) {
        String text = question.getString("q", "");
        if (text.length() > MAX_QUERY_CHARS) {
            text = text.substring(0, MAX_QUERY_CHARS);
        }
        Set<ServiceType> types = EnumSet.noneOf(ServiceType.class);
        if (question.get("types") instanceof JsonArray array) {
            for (JsonValue v : array) {
                if (v instanceof JsonString s) {
                    try {
                        types.add(ServiceType.valueOf(s.getString().toUpperCase(Locale.ROOT)));
                    } catch (IllegalArgumentException ignored) {
                        // an instance of a later version may know more types: none of ours match those
                    }
                }
            }
        }
        boolean active = question.getBoolean("active", false);
        List<ServiceView> found = registry.searchHosted(text, types, active, Math.max(0, maxResults),
                List.of(identity.peerId()), false);
        return encode(identity.name(), found, peerAnswerMaxBytes);
    }

    /** An answer between instances: no config (it may hold secrets, and the search shows none). */
    static JsonObject encode(String peerName, List<ServiceView> services, int maxBytes) {
        var list = JsonText.array();
        long bytes = 0;
        boolean cut = false;
        for (ServiceView s : services) {
            JsonObject o = JsonText.object()
                    .add("id", s.id()).add("name", s.name()).add("description", s.description())
                    .add("service_type", s.type().name()).add("status", s.status().name())
                    .add("capabilities", JsonText.parse(s.capabilitiesJson()))
                    .add("interfaces", JsonText.parse(s.interfacesJson()))
                    .add("pricing_amount", s.pricingAmount()).add("pricing_type", s.pricingType())
                    .add("pricing_interval", s.pricingInterval()).add("pricing_unit", s.pricingUnit())
                    .add("created_at", s.createdAt().toEpochMilli()).add("updated_at", s.updatedAt().toEpochMilli())
                    .build();
            bytes += o.toString().length();
            if (bytes > maxBytes) {
                cut = true;
                break;
            }
            list.add(o);
        }
        return JsonText.object().add("name", peerName).add("services", list).add("cut", cut).build();
    }

    /** What {@link #encode} made; an entry that is not what it should be is skipped. */
    static List<ServiceView> decode(JsonObject answer) {
        List<ServiceView> out = new ArrayList<>();
        if (!(answer.get("services") instanceof JsonArray array)) {
            return out;
        }
        for (JsonValue v : array) {
            try {
                JsonObject o = v.asJsonObject();
                out.add(new ServiceView(o.getJsonNumber("id").longValue(), o.getString("name"), o.getString("description"),
                        ServiceType.valueOf(o.getString("service_type")), ServiceStatus.valueOf(o.getString("status")),
                        "{}", o.get("capabilities").toString(), o.get("interfaces").toString(),
                        o.getJsonNumber("pricing_amount").bigDecimalValue(), o.getString("pricing_type"),
                        o.getJsonNumber("pricing_interval").longValue(), o.getString("pricing_unit"),
                        Instant.ofEpochMilli(o.getJsonNumber("created_at").longValue()),
                        Instant.ofEpochMilli(o.getJsonNumber("updated_at").longValue())));
            } catch (RuntimeException malformed) {
                LOG.fine(() -> "service.search.answer.entry.skipped cause=" + malformed);
            }
        }
        return out;
    }

    static String peerName(JsonObject answer) {
        String name = answer.getString("name", "");
        return name.length() <= 128 ? name : name.substring(0, 128);
    }

    /**
     * One search's answers in the order the client must see them: this node's first (peers that answer sooner are
     * held until it is out), the end last. Its methods may be called from several threads (the socket's hand-off,
     * the cluster's inbound thread, a timer); the sink is called under this object's lock, so never concurrently.
     */
    static final class Stream implements Inquiries.Answers {
        private final Sink sink;
        private final long timeoutMillis;
        private final Map<String, String> unanswered = new LinkedHashMap<>();
        private final List<Runnable> held = new ArrayList<>();
        private int left;
        private boolean localOut;
        private boolean localFailed;
        private boolean truncated;
        private boolean complete;

        Stream(Sink sink, int maxTotal, long timeoutMillis, Map<String, String> notConnected, boolean localOut) {
            this.sink = sink;
            this.left = maxTotal;
            this.timeoutMillis = timeoutMillis;
            this.unanswered.putAll(notConnected);
            this.localOut = localOut;
        }

        synchronized void local(String peerId, String peerName, List<ServiceView> services) {
            partial(peerId, peerName, services, false);
            release();
        }

        synchronized void localFailed() {
            localFailed = true;
            release();
        }

        private void release() {
            localOut = true;
            held.forEach(Runnable::run);
            held.clear();
        }

        @Override
        public synchronized void answered(String member, JsonObject answer) {
            String name = peerName(answer);
            List<ServiceView> services = decode(answer);
            boolean cut = answer.getBoolean("cut", false);
            later(() -> partial(member, name, services, cut));
        }

        @Override
        public synchronized void ended(Map<String, String> missing) {
            later(() -> {
                missing.forEach(unanswered::putIfAbsent);
                complete = true;
                sink.complete(error());
            });
        }

        private void later(Runnable r) {
            if (localOut) {
                r.run();
            } else {
                held.add(r);
            }
        }

        private void partial(String peerId, String peerName, List<ServiceView> services, boolean cut) {
            if (complete) {
                return;
            }
            List<ServiceView> kept = services;
            if (services.size() > left) {
                kept = services.subList(0, left);
                truncated = true;
            }
            truncated |= cut;
            left -= kept.size();
            sink.partial(peerId, peerName, kept);
        }

        private String error() {
            List<String> parts = new ArrayList<>();
            if (localFailed) {
                parts.add("This node's search failed");
            }
            if (!unanswered.isEmpty()) {
                // peer_ids come from the client: the error names a bounded number of them, each bounded too
                List<String> named = new ArrayList<>();
                for (var e : unanswered.entrySet()) {
                    if (named.size() == MAX_NAMED) {
                        named.add("and " + (unanswered.size() - MAX_NAMED) + " more");
                        break;
                    }
                    String peer = e.getKey().length() <= 128 ? e.getKey() : e.getKey().substring(0, 128) + "...";
                    named.add(peer + " (" + reason(e.getValue()) + ")");
                }
                parts.add("No answer from " + String.join(", ", named));
            }
            if (truncated) {
                parts.add("Results truncated");
            }
            return String.join("; ", parts);
        }

        private String reason(String why) {
            return switch (why) {
                case Inquiries.TIMEOUT -> "timed out after " + timeoutMillis + " ms";
                case Inquiries.LEFT -> "left the cluster";
                case Inquiries.BUSY -> "busy";
                case Inquiries.UNREACHABLE -> "cluster backplane unreachable";
                case Inquiries.FAILED -> "its search failed";
                default -> why;
            };
        }
    }
}
