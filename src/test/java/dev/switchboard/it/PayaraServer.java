package dev.switchboard.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real thing: Payara Micro running the built WAR against a real PostgreSQL database, as a child process.
 * Its data folder and database outlive {@link #stop()}/{@link #kill()}, so a {@link #start()} after them is a restart.
 */
public final class PayaraServer implements AutoCloseable {

    public static final String ADMIN_PASSWORD = "it-admin-secret";

    private final Path work;
    private final Map<String, String> env = new HashMap<>();
    private final int port;
    private final boolean ownsDatabase;
    private Process process;
    private int starts;
    private long startedAtNanos;
    private long readyAfterMillis;
    /** Where this start's part of the log begins: an earlier failed start's messages are not this one's. */
    private int logStart;

    public PayaraServer(String name, Map<String, String> extraEnv) {
        this(name, extraEnv, null);
    }

    /**
     * A server on a database another server made ({@code sharedDatabaseUrl}, e.g. the first member of a cluster's
     * {@link #databaseUrl()}): this one leaves it in place at {@link #close()}. Null: a fresh database of its own.
     */
    public PayaraServer(String name, Map<String, String> extraEnv, String sharedDatabaseUrl) {
        this.work = Path.of(System.getProperty("it.work", "target/it")).resolve(name + "-" + System.nanoTime());
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

    /** Changes or removes (null) an environment variable for the next {@link #start()}. */
    public PayaraServer env(String key, String value) {
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

    public PayaraServer start() {
        try {
            Files.createDirectories(work);
            Path runtime = Path.of(System.getProperty("it.runtime", "target/runtime"));
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xss512k",
                    "-jar", runtime.resolve("payara-micro.jar").toString(),
                    "--addlibs", runtime.resolve("postgresql.jar").toString(),
                    "--prebootcommandfile", Path.of(System.getProperty("it.postboot", "src/main/payara"))
                            .resolve("pre-boot.asadmin").toString(),
                    "--postbootcommandfile", Path.of(System.getProperty("it.postboot", "src/main/payara"))
                            .resolve("post-boot-postgres.asadmin").toString(),
                    "--deploy", System.getProperty("it.war", "target/switchboard.war"),
                    "--contextroot", "/",
                    "--port", String.valueOf(port),
                    "--nohazelcast",
                    "--disablephonehome",
                    "--rootdir", work.resolve("payara-root-" + (++starts)).toString()));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("server.log").toFile()));
            builder.environment().putAll(env);
            startedAtNanos = System.nanoTime();
            logStart = log().length();
            process = builder.start();
            // a machine shared by several test runs may need longer: -Dit.start-timeout-seconds=600
            awaitReady(Duration.ofSeconds(Long.getLong("it.start-timeout-seconds", 300)));
            readyAfterMillis = (System.nanoTime() - startedAtNanos) / 1_000_000;
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
                throw new IllegalStateException("Payara Micro exited during start-up; log: " + logTail());
            }
            String log = log();
            if (log.length() > logStart && log.substring(logStart).contains("Exception while loading the app")) {
                kill();
                throw new IllegalStateException("The WAR failed to deploy; log: " + logTail());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(http("/health/ready")).timeout(Duration.ofSeconds(2)).build(),
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
        // a failed start leaves the JVM running: do not leak it
        kill();
        throw new IllegalStateException("Payara Micro not ready within " + timeout + "; log: " + logTail());
    }

    /** A graceful stop (SIGTERM). */
    public void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            waitFor();
        }
    }

    /** {@code kill -9}: no shutdown hooks, no chance to flush anything. */
    public void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            waitFor();
        }
    }

    private void waitFor() {
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    /** Kills the server and drops its database: nothing of it is left behind in the PostgreSQL. */
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

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
