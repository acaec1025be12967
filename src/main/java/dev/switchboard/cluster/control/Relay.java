package dev.switchboard.cluster.control;

import dev.switchboard.cluster.entity.ClusterSignal;
import dev.switchboard.cluster.entity.MemberLeft;
import dev.switchboard.common.JsonText;
import dev.switchboard.hub.boundary.Hub;
import dev.switchboard.hub.control.Connection;
import dev.switchboard.hub.entity.Clearance;
import dev.switchboard.hub.entity.Frame;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The hub over every instance: what the dialects publish, broadcast or send to a user reaches the matching
 * connections here (at once, as before) and on every other live instance, where the already-encoded frame text is
 * fanned out by that instance's hub. One message per instance, never one per connection; a frame relayed here is
 * never relayed again.
 * <p>
 * Where the sender needs a figure from everyone (an {@code Ack}'s recipients, a direct message's connections, a
 * notification's count) each instance answers the sender, and the answer is gathered for at most
 * {@code cluster.reply-timeout-ms} (1000 by default): the future completes when every member that was live at the
 * send has answered, or at the deadline with the answers that came. An instance that does not answer in time (it
 * died and has not expired yet, or it is overloaded) is simply not counted: its clients may still get the frame, the
 * figure then undercounts. While the backplane is unreachable nothing is waited for.
 */
@ApplicationScoped
public class Relay {

    private static final Logger LOG = Logger.getLogger(Relay.class.getName());
    static final String PUBLISH = "pub";
    static final String BROADCAST = "bc";
    static final String USER = "user";
    static final String REPLY = "reply";
    static final String SIGNAL = "sig";

    @Inject
    LiveMembers live;

    @Inject
    ClusterBus bus;

    @Inject
    Hub hub;

    @Inject
    Membership membership;

    @Inject
    Event<ClusterSignal> signals;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    @ConfigProperty(name = "cluster.reply-timeout-ms", defaultValue = "1000")
    long replyTimeoutMillis;

    /** What one send is waiting for. */
    private static final class Gather {
        final Set<String> waiting;
        final List<JsonObject> replies = new ArrayList<>();
        final CompletableFuture<List<JsonObject>> done = new CompletableFuture<>();

        Gather(Set<String> waiting) {
            this.waiting = new HashSet<>(waiting);
        }

        synchronized void answered(String member, JsonObject reply) {
            if (waiting.remove(member)) {
                replies.add(reply);
            }
            if (waiting.isEmpty()) {
                done.complete(List.copyOf(replies));
            }
        }

        synchronized void forget(String member) {
            waiting.remove(member);
            if (waiting.isEmpty()) {
                done.complete(List.copyOf(replies));
            }
        }

        synchronized void expire() {
            done.complete(List.copyOf(replies));
        }
    }

    private final Map<String, Gather> pending = new ConcurrentHashMap<>();

    void listen() {
        bus.on(PUBLISH, this::onPublish);
        bus.on(BROADCAST, this::onBroadcast);
        bus.on(USER, this::onUser);
        bus.on(REPLY, this::onReply);
        bus.on(SIGNAL, m -> signals.fire(new ClusterSignal(m.getString("n"), m.getString("s", null), m.getString("o"))));
    }

    /** No other live instance: nothing to relay, nothing to wait for. */
    public boolean alone() {
        return live.alone();
    }

    public long replyTimeoutMillis() {
        return replyTimeoutMillis;
    }

    /**
     * Queues the frame for the subscribers of {@code topic} here and on every other instance.
     * @param count whether the figure is wanted (else the future holds this instance's figure only, at once)
     * @return how many connections accepted it, cluster-wide when counted
     */
    public CompletableFuture<Integer> publish(String dialect, String topic, Frame frame, boolean count) {
        int here = hub.publish(dialect, topic, frame);
        if (alone()) {
            return CompletableFuture.completedFuture(here);
        }
        var message = bus.message(PUBLISH).add("d", dialect).add("t", topic).add("f", frame.text());
        return counted(message, count, here);
    }

    /** The frame for every connection of the dialect, here and everywhere else. */
    public CompletableFuture<Integer> broadcast(String dialect, Frame frame, boolean count) {
        int here = hub.broadcast(dialect, frame);
        if (alone()) {
            return CompletableFuture.completedFuture(here);
        }
        return counted(bus.message(BROADCAST).add("d", dialect).add("f", frame.text()), count, here);
    }

    /** The frame for every connection of the dialect on the other instances only (the sender excluded itself here). */
    public void broadcastElsewhere(String dialect, Frame frame) {
        if (!alone()) {
            bus.publish(bus.message(BROADCAST).add("d", dialect).add("f", frame.text()));
        }
    }

    /**
     * Frames per clearance for every connection of the dialect, here and everywhere else: when other instances are
     * live, every clearance's variant is made (once each) so that each instance can pick its connections' own.
     */
    public void broadcast(String dialect, Function<Clearance, List<Frame>> framesFor) {
        Map<Clearance, List<Frame>> made = new EnumMap<>(Clearance.class);
        Function<Clearance, List<Frame>> once = c -> made.computeIfAbsent(c, framesFor);
        hub.broadcast(dialect, once);
        if (alone()) {
            return;
        }
        var variants = JsonText.object();
        for (Clearance c : Clearance.values()) {
            var texts = JsonText.array();
            once.apply(c).forEach(f -> texts.add(f.text()));
            variants.add(c.name(), texts);
        }
        bus.publish(bus.message(BROADCAST).add("d", dialect).add("v", variants));
    }

    /**
     * The frame for every connection of {@code user} on the dialect, here and everywhere else.
     * @return the ids of the connections that accepted it, this instance's first
     */
    public CompletableFuture<List<String>> toUser(String dialect, String user, Frame frame) {
        List<String> here = sendToUser(dialect, user, frame);
        if (alone()) {
            return CompletableFuture.completedFuture(here);
        }
        String rid = UUID.randomUUID().toString();
        var message = bus.message(USER).add("d", dialect).add("u", user).add("f", frame.text()).add("r", rid);
        return gather(rid, message).thenApply(replies -> {
            List<String> all = new ArrayList<>(here);
            for (JsonObject r : replies) {
                JsonArray ids = r.getJsonArray("ids");
                if (ids != null) {
                    ids.getValuesAs(JsonString.class).forEach(s -> all.add(s.getString()));
                }
            }
            return all;
        });
    }

    /** A notice to every other instance, fired there as {@link ClusterSignal}. */
    public void signal(String name, String subject) {
        if (!alone()) {
            var m = bus.message(SIGNAL).add("n", name);
            if (subject != null) {
                m.add("s", subject);
            }
            bus.publish(m);
        }
    }

    private CompletableFuture<Integer> counted(jakarta.json.JsonObjectBuilder message, boolean count, int here) {
        if (!count) {
            bus.publish(message);
            return CompletableFuture.completedFuture(here);
        }
        String rid = UUID.randomUUID().toString();
        message.add("r", rid);
        return gather(rid, message).thenApply(replies -> {
            int total = here;
            for (JsonObject r : replies) {
                total += r.getInt("n", 0);
            }
            return total;
        });
    }

    private CompletableFuture<List<JsonObject>> gather(String rid, jakarta.json.JsonObjectBuilder message) {
        Set<String> expected = bus.reachable() ? membership.otherIds() : Set.of();
        if (expected.isEmpty()) {
            bus.publish(message);
            return CompletableFuture.completedFuture(List.of());
        }
        Gather g = new Gather(expected);
        pending.put(rid, g);
        g.done.whenComplete((r, f) -> pending.remove(rid));
        try {
            scheduler.schedule(() -> {
                if (!g.done.isDone()) {
                    LOG.fine(() -> "cluster.reply.timeout rid=" + rid + " missing=" + g.waiting);
                    g.expire();
                }
            }, replyTimeoutMillis, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cluster.reply.timer.failed", e);
            g.expire();
        }
        bus.publish(message);
        return g.done;
    }

    void onLeft(@Observes MemberLeft left) {
        if (!left.self()) {
            pending.values().forEach(g -> g.forget(left.member().id()));
        }
    }

    private List<String> sendToUser(String dialect, String user, Frame frame) {
        List<String> reached = new ArrayList<>(2);
        for (Connection c : hub.connectionsOf(user)) {
            if (dialect.equals(c.dialect()) && hub.send(c, frame)) {
                reached.add(c.id());
            }
        }
        return reached;
    }

    private void reply(JsonObject request, jakarta.json.JsonObjectBuilder answer) {
        String rid = request.getString("r", null);
        if (rid != null) {
            bus.send(request.getString("o"), answer.add("r", rid));
        }
    }

    private void onPublish(JsonObject m) {
        int n = hub.publish(m.getString("d"), m.getString("t"), Frame.of(m.getString("f")));
        reply(m, bus.message(REPLY).add("n", n));
    }

    private void onBroadcast(JsonObject m) {
        String dialect = m.getString("d");
        int n;
        if (m.containsKey("v")) {
            JsonObject v = m.getJsonObject("v");
            Map<Clearance, List<Frame>> frames = new EnumMap<>(Clearance.class);
            n = hub.broadcast(dialect, c -> frames.computeIfAbsent(c, k -> {
                JsonArray texts = v.getJsonArray(k.name());
                if (texts == null) {
                    return List.of();
                }
                List<Frame> list = new ArrayList<>(texts.size());
                for (JsonValue t : texts) {
                    list.add(Frame.of(((JsonString) t).getString()));
                }
                return list;
            }));
        } else {
            n = hub.broadcast(dialect, Frame.of(m.getString("f")));
        }
        reply(m, bus.message(REPLY).add("n", n));
    }

    private void onUser(JsonObject m) {
        var ids = JsonText.array();
        sendToUser(m.getString("d"), m.getString("u"), Frame.of(m.getString("f"))).forEach(ids::add);
        reply(m, bus.message(REPLY).add("ids", ids));
    }

    private void onReply(JsonObject m) {
        Gather g = pending.get(m.getString("r", ""));
        if (g != null) {
            g.answered(m.getString("o"), m);
        }
    }
}
