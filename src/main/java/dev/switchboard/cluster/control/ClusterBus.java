package dev.switchboard.cluster.control;

import dev.switchboard.cluster.entity.ClusterEngine;
import dev.switchboard.cluster.entity.MemberAdmission;
import dev.switchboard.common.JsonText;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This instance's end of the cluster engine chosen by {@code cluster.engine} ({@code memory}, the default: alone;
 * {@code redis}). Messages are JSON objects with a kind ({@code k}) and their sender ({@code o}); each is encoded
 * once and travels once per instance. What arrives is handled on one thread of its own, in arrival order (so one
 * sender's messages are handled in the order it sent them), never on the engine's I/O thread; a full inbound queue
 * drops (and counts) rather than blocks the engine.
 */
@ApplicationScoped
public class ClusterBus {

    private static final Logger LOG = Logger.getLogger(ClusterBus.class.getName());

    @Resource
    ManagedThreadFactory threads;

    @Inject
    @ConfigProperty(name = "cluster.engine", defaultValue = "memory")
    String engineName;

    @Inject
    @ConfigProperty(name = "cluster.redis.url", defaultValue = "redis://127.0.0.1:6379")
    String redisUrl;

    /** Keys and channels start with it: clusters (or test runs) sharing one Redis do not see each other. */
    @Inject
    @ConfigProperty(name = "cluster.redis.prefix", defaultValue = "switchboard")
    String redisPrefix;

    @Inject
    @ConfigProperty(name = "cluster.inbound-queue.max", defaultValue = "100000")
    int inboundMax;

    /** Who may refuse a member (the blacklist); looked up at the first message, when every bean is ready. */
    @Inject
    jakarta.enterprise.inject.Instance<MemberAdmission> admissions;

    private volatile java.util.List<MemberAdmission> admissionList;
    private final AtomicLong refused = new AtomicLong();
    private ClusterEngine engine;
    private String self;
    private BlockingQueue<String> inbound;
    private Thread dispatcher;
    private volatile boolean running;
    private final Map<String, Consumer<JsonObject>> handlers = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<Consumer<Boolean>> reachabilityListeners = new CopyOnWriteArrayList<>();
    private final AtomicLong inboundDropped = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();

    /** Registers the handler of one kind of message; set up before {@link #start}. */
    public void on(String kind, Consumer<JsonObject> handler) {
        handlers.put(kind, handler);
    }

    /** Told whenever the backplane becomes reachable or unreachable (on the engine's thread: must not block). */
    public void onReachable(Consumer<Boolean> listener) {
        reachabilityListeners.add(listener);
    }

    synchronized void start(String memberId) {
        if (engine != null) {
            return;
        }
        ClusterEngine chosen = switch (engineName.trim().toLowerCase(Locale.ROOT)) {
            case "redis" -> new RedisEngine(redisUrl, redisPrefix, threads);
            case "memory", "" -> new InMemoryEngine(new InMemoryEngine.Bus());
            default -> {
                LOG.severe(() -> "cluster.engine.unknown name=" + engineName + " using=memory");
                yield new InMemoryEngine(new InMemoryEngine.Bus());
            }
        };
        Thread t = threads.newThread(this::dispatch);
        startWith(memberId, chosen, t);
    }

    /** For unit tests: an engine made by the test, a plain thread. */
    synchronized void start(String memberId, ClusterEngine given) {
        startWith(memberId, given, new Thread(this::dispatch));
    }

    private void startWith(String memberId, ClusterEngine chosen, Thread thread) {
        self = memberId;
        inbound = new ArrayBlockingQueue<>(Math.max(16, inboundMax));
        running = true;
        dispatcher = thread;
        dispatcher.setName("cluster-inbound");
        dispatcher.setDaemon(true);
        dispatcher.start();
        engine = chosen;
        LOG.info(() -> "cluster.engine.started engine=" + chosen.name() + " member=" + memberId);
        chosen.start(memberId, new ClusterEngine.Receiver() {
            @Override
            public void received(String message) {
                if (!inbound.offer(message)) {
                    inboundDropped.incrementAndGet();
                }
            }

            @Override
            public void reachable(boolean reachable) {
                for (Consumer<Boolean> l : reachabilityListeners) {
                    try {
                        l.accept(reachable);
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "cluster.reachability.listener.failed", e);
                    }
                }
            }
        });
    }

    private void dispatch() {
        while (running) {
            String text;
            try {
                text = inbound.poll(500, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (text == null) {
                continue;
            }
            try {
                JsonObject m = JsonText.parse(text).asJsonObject();
                String origin = m.getString("o", "");
                if (self.equals(origin)) {
                    continue; // our own publish, handed back by the engine
                }
                if (!admitted(origin)) {
                    refused.incrementAndGet();
                    continue;
                }
                received.incrementAndGet();
                Consumer<JsonObject> h = handlers.get(m.getString("k", ""));
                if (h != null) {
                    h.accept(m);
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "cluster.inbound.failed", e);
            }
        }
    }

    /** Whether every {@link MemberAdmission} admits the member (a blacklisted instance is not). */
    boolean admitted(String memberId) {
        java.util.List<MemberAdmission> list = admissionList;
        if (list == null) {
            list = admissions == null ? java.util.List.of() : admissions.stream().toList();
            admissionList = list;
        }
        for (MemberAdmission a : list) {
            try {
                if (!a.admits(memberId)) {
                    return false;
                }
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "cluster.admission.failed member=" + memberId, e);
            }
        }
        return true;
    }

    /** Messages dropped because their member is not admitted here. */
    public long refusedCount() {
        return refused.get();
    }

    /** A new message of a kind, from this member. */
    public JsonObjectBuilder message(String kind) {
        return JsonText.object().add("k", kind).add("o", self);
    }

    /** To every other member. */
    public void publish(JsonObjectBuilder message) {
        ClusterEngine e = engine;
        if (e != null) {
            sent.incrementAndGet();
            e.publish(message.build().toString());
        }
    }

    /** To one member. */
    public void send(String memberId, JsonObjectBuilder message) {
        ClusterEngine e = engine;
        if (e != null) {
            sent.incrementAndGet();
            e.send(memberId, message.build().toString());
        }
    }

    ClusterEngine engine() {
        return engine;
    }

    public String self() {
        return self;
    }

    public String engineName() {
        ClusterEngine e = engine;
        return e == null ? engineName : e.name();
    }

    /** Whether more than one instance can exist: false for the in-memory engine of a server. */
    public boolean clustered() {
        return engine != null && !"memory".equals(engine.name());
    }

    public boolean reachable() {
        ClusterEngine e = engine;
        return e != null && e.reachable();
    }

    public long droppedOutbound() {
        ClusterEngine e = engine;
        return e == null ? 0 : e.dropped();
    }

    public long droppedInbound() {
        return inboundDropped.get();
    }

    public long receivedCount() {
        return received.get();
    }

    public long sentCount() {
        return sent.get();
    }

    @PreDestroy
    synchronized void stop() {
        running = false;
        if (engine != null) {
            engine.stop();
        }
        if (dispatcher != null) {
            dispatcher.interrupt();
        }
    }
}
