package dev.switchboard.it;

import jakarta.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A cluster of real instances on loopback for a test class: one PostgreSQL database (the first member's), one Redis
 * (a key prefix of this cluster's own), one signing key ({@link #tokens}); each member describes itself by the port
 * it really listens on. {@link #start} starts the first member alone (it migrates the schema and creates the first
 * admin), then the others side by side, and returns once every member lists them all. Members are named
 * {@code <name>-a}, {@code <name>-b}, …; {@link #close} kills them all and drops the database.
 */
final class Cluster implements AutoCloseable {

    /** The beats of every test cluster unless its test sets its own: a dead member is gone within 2 s. */
    static final long HEARTBEAT_MS = 500;
    static final int MISSES = 3;

    final ClusterTokens tokens;
    private final String name;
    private final Map<String, String> env;
    private final List<AppServer> members = new ArrayList<>();

    private Cluster(String name, Map<String, String> extraEnv) throws Exception {
        this.name = name;
        this.tokens = new ClusterTokens();
        this.env = new HashMap<>(env(name + "-" + UUID.randomUUID(), tokens.pem));
        env.putAll(extraEnv);
    }

    /**
     * Starts {@code size} members with the cluster's settings and {@code extraEnv} (which may replace them, the beats
     * for instance); on a failure the members started so far are closed.
     */
    static Cluster start(String name, int size, Map<String, String> extraEnv) throws Exception {
        Cluster cluster = new Cluster(name, extraEnv);
        try {
            cluster.add().start();
            List<AppServer> others = new ArrayList<>();
            for (int i = 1; i < size; i++) {
                others.add(cluster.add());
            }
            CompletableFuture.allOf(others.stream().map(s -> CompletableFuture.runAsync(s::start))
                    .toArray(CompletableFuture[]::new)).join();
            for (AppServer s : cluster.members) {
                awaitMembers(s, size);
            }
            return cluster;
        } catch (CompletionException e) {
            cluster.close();
            throw e.getCause() instanceof RuntimeException r ? r : e;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** The {@code i}th member (0 = the first, the database's owner). */
    AppServer get(int i) {
        return members.get(i);
    }

    List<AppServer> members() {
        return List.copyOf(members);
    }

    /** One more member on the cluster's database, not started yet: an instance that joins later. */
    AppServer add() {
        String member = name + "-" + (char) ('a' + members.size());
        AppServer s = advertised(members.isEmpty() ? AppServer.create(member, env)
                : AppServer.create(member, env, members.get(0).databaseUrl()));
        members.add(s);
        return s;
    }

    /** The settings every member of a cluster with this Redis key prefix and signing key needs. */
    static Map<String, String> env(String prefix, String pem) {
        return Map.of("CLUSTER_ENGINE", "redis",
                "CLUSTER_REDIS_URL", "redis://" + System.getProperty("it.redis.host", "127.0.0.1") + ":"
                        + System.getProperty("it.redis.port", "6379"),
                "CLUSTER_REDIS_PREFIX", prefix,
                "CLUSTER_HEARTBEAT_INTERVAL_MS", String.valueOf(HEARTBEAT_MS),
                "CLUSTER_HEARTBEAT_MISSES", String.valueOf(MISSES),
                "CLUSTER_REPLY_TIMEOUT_MS", "3000",
                "SWITCHBOARD_JWT_PRIVATE_KEY", pem);
    }

    /** Members describe themselves by the port they really listen on. */
    static AppServer advertised(AppServer s) {
        return s.env("SWITCHBOARD_ADVERTISED_ADDRESS", "127.0.0.1").env("SWITCHBOARD_ADVERTISED_PORT", String.valueOf(s.port()));
    }

    /** Waits until the server's readiness lists {@code n} members (itself included). */
    static JsonObject awaitMembers(AppServer s, int n) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonObject last = null;
        while (System.nanoTime() < deadline) {
            Api.Reply r = Api.get(s, "/health/ready");
            if (r.status() == 200) {
                last = r.json();
                for (var check : last.getJsonArray("checks")) {
                    JsonObject o = check.asJsonObject();
                    if ("cluster".equals(o.getString("name")) && String.valueOf(n).equals(o.getJsonObject("data").get("members").toString().replace("\"", ""))) {
                        return o;
                    }
                }
            }
            AppServer.sleep(100);
        }
        throw new AssertionError("not " + n + " members on " + s.port() + ": " + last);
    }

    /** Kills every member, the first (whose database the others share) last, and drops the database. */
    @Override
    public void close() {
        for (int i = members.size() - 1; i >= 0; i--) {
            members.get(i).close();
        }
    }
}
