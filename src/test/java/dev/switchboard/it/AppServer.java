package dev.switchboard.it;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real thing: an application server running the built WAR against a real PostgreSQL database, as a child
 * process. Which one is the system property {@code it.server}: {@code payara} (default), {@code wildfly} or
 * {@code liberty}; the tests only see this class. Its data folder and database outlive {@link #stop()}/{@link #kill()},
 * so a {@link #start()} after them is a restart.
 */
public abstract class AppServer implements AutoCloseable {

    public static final String ADMIN_PASSWORD = "it-admin-secret";

    protected final Path work;
    protected final Map<String, String> env = new HashMap<>();
    private final int port;
    private final boolean ownsDatabase;
    private Process process;
    private int starts;
    private long readyAfterMillis;
    /** Where this start's part of the log begins: an earlier failed start's messages are not this one's. */
    private int logStart;

    /** A server of the kind {@code it.server} names, not started yet. */
    public static AppServer create(String name, Map<String, String> extraEnv) {
        return create(name, extraEnv, null);
    }

    /**
     * A server on a database another server made ({@code sharedDatabaseUrl}, e.g. the first member of a cluster's
     * {@link #databaseUrl()}): this one leaves it in place at {@link #close()}. Null: a fresh database of its own.
     */
    public static AppServer create(String name, Map<String, String> extraEnv, String sharedDatabaseUrl) {
        return switch (kind()) {
            case "payara" -> new PayaraServer(name, extraEnv, sharedDatabaseUrl);
            case "wildfly" -> new WildFlyServer(name, extraEnv, sharedDatabaseUrl);
            case "liberty" -> new LibertyServer(name, extraEnv, sharedDatabaseUrl);
            default -> throw new IllegalArgumentException("it.server must be payara, wildfly or liberty: " + kind());
        };
    }

    /**
     * Skips the calling test (or, from {@code @BeforeAll}, its class) on every server but Payara Micro: for what only
     * Payara's container adapter ({@code transport/tyrus/}) does. {@code why} says what the others do instead.
     */
    public static void assumePayara(String why) {
        Assumptions.assumeTrue(kind().equals("payara"), why);
    }

    /** The server kind this test JVM runs against. */
    public static String kind() {
        return System.getProperty("it.server", "payara");
    }

    protected AppServer(String name, Map<String, String> extraEnv, String sharedDatabaseUrl) {
        this.work = Path.of(System.getProperty("it.work", "target/it")).resolve(kind()).resolve(name + "-" + System.nanoTime());
        this.port = freePort();
        this.ownsDatabase = sharedDatabaseUrl == null;
        env.put("SWITCHBOARD_DB_URL", ownsDatabase ? Postgres.createDatabase("sb_it_" + name) : sharedDatabaseUrl);
        env.put("SWITCHBOARD_DB_USER", Postgres.USER);
        env.put("SWITCHBOARD_DB_PASSWORD", Postgres.PASSWORD);
        env.put("SWITCHBOARD_DATA_DIR", work.resolve("data").toAbsolutePath().toString());
        env.put("SWITCHBOARD_ADMIN_PASSWORD", ADMIN_PASSWORD);
        // cheaper hashing keeps the login tests fast; production keeps its default
        env.put("AUTH_PASSWORD_ITERATIONS", "1024");
        env.putAll(extraEnv);
    }

    /** The command line of the {@code n}th start (1 = the first). */
    protected abstract List<String> command(int n) throws IOException;

    /** What the server's own process needs beyond {@link #env} (it may drop or change some of it). */
    protected Map<String, String> processEnv() {
        return env;
    }

    /** Where the server answers 200 once the application and its database are ready (MicroProfile Health). */
    public URI readyUri() {
        return health("/health/ready");
    }

    /** A MicroProfile Health address ({@code /health/live}, {@code /health/ready}): the application port but on WildFly. */
    public URI health(String path) {
        return http(path);
    }

    /** Whether the log says the WAR failed to deploy (the server itself may keep running then). */
    protected abstract boolean deployFailed(String log);

    /**
     * JVM options every test server gets besides its own ({@code -Dit.jvm-options}, default C1 only): the tests
     * start some 40 servers on two cores, and C2 compiling the start-up paths was half of each start's CPU (Payara
     * Micro on PostgreSQL: 36 s of CPU and 19-24 s to ready with C2, 18 s and 14 s without). Behaviour is the same;
     * only the benchmark and production need the peak speed of C2. {@code -Dit.jvm-options=none}: the JVM's defaults.
     */
    protected static List<String> testJvmOptions() {
        String options = System.getProperty("it.jvm-options", "-XX:TieredStopAtLevel=1").trim();
        return options.isEmpty() || options.equals("none") ? List.of() : List.of(options.split("\\s+"));
    }

    protected static Path runtime() {
        return Path.of(System.getProperty("it.runtime", "target/runtime"));
    }

    protected static Path war() {
        return Path.of(System.getProperty("it.war", "target/switchboard.war")).toAbsolutePath();
    }

    /** The server's JVM and its children (WildFly's standalone.sh runs the JVM as a child), for CPU figures. */
    public java.util.List<ProcessHandle> processes() {
        java.util.List<ProcessHandle> all = new java.util.ArrayList<>();
        all.add(process.toHandle());
        process.descendants().forEach(all::add);
        return all;
    }

    /** Changes or removes (null) an environment variable for the next {@link #start()}. */
    public AppServer env(String key, String value) {
        if (value == null) {
            env.remove(key);
        } else {
            env.put(key, value);
        }
        return this;
    }

    public String log() {
        try {
            return Files.readString(work.resolve("server.log"));
        } catch (IOException e) {
            return "";
        }
    }

    public AppServer start() {
        try {
            Files.createDirectories(work);
            ProcessBuilder builder = new ProcessBuilder(command(++starts))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("server.log").toFile()));
            builder.environment().putAll(processEnv());
            long startedAtNanos = System.nanoTime();
            logStart = log().length();
            process = builder.start();
            // a machine shared by several test runs may need longer: -Dit.start-timeout-seconds=600
            awaitReady(Duration.ofSeconds(Long.getLong("it.start-timeout-seconds", 300)));
            readyAfterMillis = (System.nanoTime() - startedAtNanos) / 1_000_000;
            System.out.println("it.server.ready server=" + kind() + " ready-ms=" + readyAfterMillis + " work=" + work.getFileName());
            return this;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(kind() + " exited during start-up; log: " + logTail());
            }
            String log = log();
            if (log.length() > logStart && deployFailed(log.substring(logStart))) {
                kill();
                throw new IllegalStateException("The WAR failed to deploy on " + kind() + "; log: " + logTail());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(readyUri()).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(250);
        }
        // a failed start may leave the JVM running: do not leak it
        kill();
        throw new IllegalStateException(kind() + " not ready within " + timeout + "; log: " + logTail());
    }

    /** A graceful stop (SIGTERM), to the server's JVM itself where a launcher script started it. */
    public void stop() {
        if (process != null && process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            waitFor();
        }
    }

    /** {@code kill -9}: no shutdown hooks, no chance to flush anything. */
    public void kill() {
        if (process != null && process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            waitFor();
        }
    }

    /**
     * {@code kill -STOP}: the server (and any process it started) stops running but stays alive: its sockets stay
     * open and the kernel still accepts bytes for them, nobody reads them. {@link #resume()} lets it go on.
     */
    public void pause() {
        signal("STOP");
    }

    /** {@code kill -CONT} after {@link #pause()}. */
    public void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("not running");
        }
        java.util.List<Long> pids = new java.util.ArrayList<>();
        pids.add(process.pid());
        process.descendants().forEach(h -> pids.add(h.pid()));
        for (long pid : pids) {
            try {
                Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(pid)).redirectErrorStream(true).start();
                if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                    throw new IllegalStateException("kill -" + name + " " + pid + " failed");
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private void waitFor() {
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            // the launcher may end before its JVM: the port and the files must be free before a restart
            for (ProcessHandle child : process.descendants().toList()) {
                long left = Math.max(1, deadline - System.nanoTime());
                child.onExit().get(left, TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** Kills the server and drops its own database: nothing of it is left behind in the PostgreSQL. */
    @Override
    public void close() {
        kill();
        String url = databaseUrl();
        if (url != null && ownsDatabase) {
            Postgres.dropDatabase(url);
        }
    }

    public URI http(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public URI ws(String path) {
        return URI.create("ws://127.0.0.1:" + port + path);
    }

    public int port() {
        return port;
    }

    /** The JDBC URL of this server's own database (user {@link Postgres#USER}). */
    public String databaseUrl() {
        return env.get("SWITCHBOARD_DB_URL");
    }

    public Path dataDir() {
        return Path.of(env.get("SWITCHBOARD_DATA_DIR"));
    }

    public long readyAfterMillis() {
        return readyAfterMillis;
    }

    public long pid() {
        return process.pid();
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(work.resolve("server.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    protected static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
