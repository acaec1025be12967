package dev.switchboard.cluster.control;

import dev.switchboard.cluster.entity.ClusterEngine;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Redis engine, through Lettuce: one command connection (asynchronous, shared by every thread) and one pub/sub
 * connection, both re-established by Lettuce itself after a loss (subscriptions included). Keys and channels start
 * with {@code prefix}, so that several clusters (or test runs) share one Redis without seeing each other:
 * <ul>
 *   <li>{@code <prefix>:all}, the channel every member publishes to and listens on;</li>
 *   <li>{@code <prefix>:to:<member>}, the channel of one member (replies);</li>
 *   <li>{@code <prefix>:member:<member>}, a member's record, with a time to live its heartbeat renews.</li>
 * </ul>
 * While Redis is unreachable, commands are refused at once rather than buffered (a publish is dropped and counted):
 * nothing waits on Redis, and nothing stale is replayed when it returns.
 */
public final class RedisEngine implements ClusterEngine {

    private static final Logger LOG = Logger.getLogger(RedisEngine.class.getName());
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

    private final String url;
    private final String prefix;
    private final ThreadFactory threads;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicBoolean reachable = new AtomicBoolean();
    private volatile boolean stopped;

    private ClientResources resources;
    private RedisClient client;
    private ScheduledExecutorService connector;
    private volatile StatefulRedisConnection<String, String> commands;
    private volatile StatefulRedisPubSubConnection<String, String> pubsub;
    private volatile Receiver receiver;
    private String memberId;

    /** @param threads for the one background thread that connects while Redis is not there yet */
    public RedisEngine(String url, String prefix, ThreadFactory threads) {
        this.url = url;
        this.prefix = prefix;
        this.threads = threads;
    }

    @Override
    public String name() {
        return "redis";
    }

    String all() {
        return prefix + ":all";
    }

    String to(String member) {
        return prefix + ":to:" + member;
    }

    String memberKey(String member) {
        return prefix + ":member:" + member;
    }

    @Override
    public void start(String memberId, Receiver receiver) {
        this.memberId = memberId;
        this.receiver = receiver;
        resources = ClientResources.builder()
                // back within about a second of Redis returning; never the default's 30 s backoff
                .reconnectDelay(Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .build();
        client = RedisClient.create(resources, RedisURI.create(url));
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(2)).keepAlive(true).build())
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .build());
        client.addListener(new io.lettuce.core.RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(io.lettuce.core.RedisChannelHandler<?, ?> connection, java.net.SocketAddress address) {
                changed();
            }

            @Override
            public void onRedisDisconnected(io.lettuce.core.RedisChannelHandler<?, ?> connection) {
                changed();
            }
        });
        connector = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(threads);
        connector.execute(this::connect);
    }

    /** Until both connections exist; after that Lettuce reconnects them by itself. */
    private void connect() {
        if (stopped) {
            return;
        }
        try {
            if (commands == null) {
                commands = client.connect();
            }
            if (pubsub == null) {
                StatefulRedisPubSubConnection<String, String> p = client.connectPubSub();
                p.addListener(new RedisPubSubAdapter<>() {
                    @Override
                    public void message(String channel, String message) {
                        Receiver r = receiver;
                        if (r != null) {
                            r.received(message);
                        }
                    }
                });
                p.sync().subscribe(all(), to(memberId));
                pubsub = p;
            }
            LOG.info(() -> "cluster.redis.connected url=" + masked(url) + " prefix=" + prefix);
            changed();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "cluster.redis.connect.failed", e);
            LOG.warning(() -> "cluster.redis.unreachable url=" + masked(url) + " retry-ms=1000 error=" + e.getMessage());
            changed();
            connector.schedule(this::connect, 1, TimeUnit.SECONDS);
        }
    }

    private void changed() {
        var c = commands;
        var p = pubsub;
        boolean now = c != null && p != null && c.isOpen() && p.isOpen();
        if (reachable.getAndSet(now) != now) {
            LOG.info(() -> "cluster.redis.reachable=" + now);
            Receiver r = receiver;
            if (r != null) {
                r.reachable(now);
            }
        }
    }

    private RedisAsyncCommands<String, String> async() {
        var c = commands;
        return c == null || !c.isOpen() ? null : c.async();
    }

    @Override
    public void publish(String message) {
        publishTo(all(), message);
    }

    @Override
    public void send(String member, String message) {
        publishTo(to(member), message);
    }

    private void publishTo(String channel, String message) {
        var a = async();
        if (a == null) {
            dropped.incrementAndGet();
            return;
        }
        try {
            a.publish(channel, message).exceptionally(failure -> {
                dropped.incrementAndGet();
                return 0L;
            });
        } catch (RuntimeException e) {
            dropped.incrementAndGet();
        }
    }

    @Override
    public void register(String member, String record, Duration ttl) {
        var a = async();
        if (a != null) {
            try {
                a.set(memberKey(member), record, SetArgs.Builder.px(ttl.toMillis()));
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "cluster.redis.register.failed", e);
            }
        }
    }

    @Override
    public void deregister(String member) {
        var a = async();
        if (a != null) {
            try {
                a.del(memberKey(member)).get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                LOG.log(Level.FINE, "cluster.redis.deregister.failed", e);
            }
        }
    }

    @Override
    public Map<String, String> members() {
        var c = commands;
        if (c == null || !c.isOpen()) {
            return Map.of();
        }
        try {
            var sync = c.sync();
            List<String> keys = new ArrayList<>();
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = sync.scan(cursor, ScanArgs.Builder.matches(memberKey("*")).limit(500));
                keys.addAll(page.getKeys());
                cursor = page;
            } while (!cursor.isFinished());
            Map<String, String> records = new HashMap<>();
            if (!keys.isEmpty()) {
                String head = memberKey("");
                sync.mget(keys.toArray(String[]::new)).forEach(kv -> {
                    if (kv.hasValue()) {
                        records.put(kv.getKey().substring(head.length()), kv.getValue());
                    }
                });
            }
            return records;
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "cluster.redis.members.failed", e);
            return Map.of();
        }
    }

    @Override
    public boolean reachable() {
        return reachable.get();
    }

    @Override
    public long dropped() {
        return dropped.get();
    }

    @Override
    public void stop() {
        stopped = true;
        if (connector != null) {
            connector.shutdownNow();
        }
        try {
            if (pubsub != null) {
                pubsub.close();
            }
            if (commands != null) {
                commands.close();
            }
            if (client != null) {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
            if (resources != null) {
                resources.shutdown(0, 2, TimeUnit.SECONDS);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "cluster.redis.stop.failed", e);
        }
    }

    /** The URL without a password, for logs. */
    static String masked(String url) {
        return url.replaceAll("//[^@/]*@", "//***@");
    }
}
