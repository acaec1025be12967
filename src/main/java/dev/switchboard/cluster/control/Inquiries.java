package dev.switchboard.cluster.control;

import dev.switchboard.cluster.entity.InquiryAnswerer;
import dev.switchboard.cluster.entity.MemberLeft;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Questions to chosen members (what an {@link InquiryAnswerer} of theirs answers) whose answers are handed over one by one, as each arrives (where {@link Relay} sums
 * them up at the end). The question is sent once to each member asked ({@link ClusterBus#send}); each answers the
 * asker alone. The asking ends when every member asked has answered, has left, or at the deadline the asker gives,
 * whichever comes first, and the end names who did not answer and why ({@link #TIMEOUT}, {@link #LEFT},
 * {@link #BUSY}, {@link #FAILED}, {@link #UNREACHABLE}); nothing is handed over after the end.
 * <p>
 * Bounded on both sides: this instance waits for at most {@code cluster.inquiry.max-pending} askings at once
 * (beyond, {@link #ask} refuses at once) and computes at most {@code cluster.inquiry.max-concurrent} answers at once
 * on the managed executor (beyond, it answers {@link #BUSY} at once): an answer may read the database, so it never
 * runs on the cluster's inbound thread, which would hold up every other member's messages.
 */
@ApplicationScoped
public class Inquiries {

    private static final Logger LOG = Logger.getLogger(Inquiries.class.getName());
    static final String ASK = "ask";
    static final String ANSWER = "answer";

    public static final String TIMEOUT = "timeout";
    public static final String LEFT = "left";
    public static final String BUSY = "busy";
    public static final String FAILED = "failed";
    public static final String UNREACHABLE = "unreachable";

    /** Where one asking's answers go: on the cluster's inbound thread or a timer's, never after {@link #ended}. */
    public interface Answers {
        void answered(String member, JsonObject answer);

        /** The end: the members asked that did not answer (member → why), in the order they were asked. */
        void ended(Map<String, String> unanswered);
    }

    @Inject
    ClusterBus bus;

    @Resource
    ManagedExecutorService executor;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    @ConfigProperty(name = "cluster.inquiry.max-pending", defaultValue = "1000")
    int maxPending;

    @Inject
    @ConfigProperty(name = "cluster.inquiry.max-concurrent", defaultValue = "8")
    int maxConcurrent;

    /** Who answers what; looked up at the first question, when every bean is ready. */
    @Inject
    Instance<InquiryAnswerer> answererBeans;

    private volatile Map<String, InquiryAnswerer> answerers;
    private final Map<String, Asking> pending = new ConcurrentHashMap<>();
    private volatile Semaphore answering;

    /** One asking: who is still to answer, and whether it has ended. */
    private static final class Asking {
        final Answers answers;
        final Set<String> waiting;
        final Map<String, String> unanswered = new LinkedHashMap<>();
        boolean ended;

        Asking(Answers answers, Set<String> members) {
            this.answers = answers;
            this.waiting = new LinkedHashSet<>(members);
        }

        synchronized void answered(String member, JsonObject answer) {
            if (ended || !waiting.remove(member)) {
                return;
            }
            String refusal = answer.getString("e", null);
            if (refusal != null || !(answer.get("a") instanceof JsonObject)) {
                unanswered.put(member, BUSY.equals(refusal) ? BUSY : FAILED);
            } else {
                answers.answered(member, answer.getJsonObject("a"));
            }
            endIfDone();
        }

        synchronized void missing(String member, String why) {
            if (!ended && waiting.remove(member)) {
                unanswered.put(member, why);
                endIfDone();
            }
        }

        synchronized void expire() {
            if (!ended) {
                waiting.forEach(m -> unanswered.put(m, TIMEOUT));
                waiting.clear();
                endIfDone();
            }
        }

        /** Whether it has ended (now or before). */
        synchronized boolean endIfDone() {
            if (!ended && waiting.isEmpty()) {
                ended = true;
                answers.ended(new LinkedHashMap<>(unanswered));
            }
            return ended;
        }
    }

    void listen() {
        answering = new Semaphore(Math.max(1, maxConcurrent));
        bus.on(ASK, this::onAsk);
        bus.on(ANSWER, this::onAnswer);
    }

    /**
     * Asks {@code members} (other instances) {@code question} on {@code topic}; the answers go to {@code answers} as
     * they come, then the end, at the latest after {@code timeoutMillis}. No members: the end at once.
     * @return false when this instance already waits for {@code cluster.inquiry.max-pending} askings: nobody was
     *         asked and {@code answers} hears nothing
     */
    public boolean ask(String topic, JsonObject question, Set<String> members, long timeoutMillis, Answers answers) {
        Asking asking = new Asking(answers, members);
        if (members.isEmpty()) {
            asking.endIfDone();
            return true;
        }
        if (!bus.reachable()) {
            members.forEach(m -> asking.missing(m, UNREACHABLE));
            return true;
        }
        if (pending.size() >= Math.max(1, maxPending)) {
            LOG.warning(() -> "cluster.inquiry.refused reason=max-pending topic=" + topic + " max=" + maxPending);
            return false;
        }
        String rid = UUID.randomUUID().toString();
        pending.put(rid, asking);
        try {
            scheduler.schedule(() -> {
                asking.expire();
                pending.remove(rid);
            }, Math.max(1, timeoutMillis), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cluster.inquiry.timer.failed", e);
            pending.remove(rid);
            asking.expire();
            return true;
        }
        for (String member : members) {
            bus.send(member, bus.message(ASK).add("t", topic).add("r", rid).add("q", question));
        }
        return true;
    }

    /** Askings this instance waits on now. */
    public int pendingCount() {
        return pending.size();
    }

    private void onAsk(JsonObject m) {
        String asker = m.getString("o");
        String rid = m.getString("r", "");
        InquiryAnswerer answerer = answerers().get(m.getString("t", ""));
        if (answerer == null) {
            bus.send(asker, bus.message(ANSWER).add("r", rid).add("e", FAILED));
            return;
        }
        Semaphore permits = answering;
        if (!permits.tryAcquire()) {
            bus.send(asker, bus.message(ANSWER).add("r", rid).add("e", BUSY));
            return;
        }
        try {
            executor.execute(() -> {
                try {
                    JsonObject q = m.get("q") instanceof JsonObject o ? o : JsonObject.EMPTY_JSON_OBJECT;
                    JsonObject a = answerer.answer(q);
                    bus.send(asker, bus.message(ANSWER).add("r", rid).add("a", a == null ? JsonObject.EMPTY_JSON_OBJECT : a));
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "cluster.inquiry.answer.failed topic=" + m.getString("t", ""), e);
                    bus.send(asker, bus.message(ANSWER).add("r", rid).add("e", FAILED));
                } finally {
                    permits.release();
                }
            });
        } catch (RejectedExecutionException e) {
            permits.release();
            bus.send(asker, bus.message(ANSWER).add("r", rid).add("e", BUSY));
        }
    }

    private Map<String, InquiryAnswerer> answerers() {
        Map<String, InquiryAnswerer> known = answerers;
        if (known == null) {
            Map<String, InquiryAnswerer> found = new java.util.HashMap<>();
            if (answererBeans != null) {
                answererBeans.forEach(a -> found.put(a.topic(), a));
            }
            known = Map.copyOf(found);
            answerers = known;
        }
        return known;
    }

    private void onAnswer(JsonObject m) {
        String rid = m.getString("r", "");
        Asking asking = pending.get(rid);
        if (asking != null) {
            asking.answered(m.getString("o"), m);
            if (asking.endIfDone()) {
                pending.remove(rid);
            }
        }
    }

    void onLeft(@Observes MemberLeft left) {
        if (!left.self()) {
            String id = left.member().id();
            pending.forEach((rid, asking) -> {
                asking.missing(id, LEFT);
                if (asking.endIfDone()) {
                    pending.remove(rid);
                }
            });
        }
    }
}
