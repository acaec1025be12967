package dev.switchboard.it;

import dev.switchboard.common.Conflict;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URLDecoder;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * <b>A stand-in for a Docker Engine</b>, because none can run on the machines these tests run on (no daemon, no
 * privileges): a small HTTP/1.1 server on a loopback port that implements just the Engine API calls Switchboard
 * makes for a DOCKER job, with the Engine's wire formats: {@code /_ping}, {@code /version}, image inspect and pull
 * ({@code /images/create}, a stream of JSON progress objects), container create, attach (an HTTP upgrade to a raw
 * stream: STDIN in, STDOUT and STDERR out as multiplexed frames, an 8-byte header {@code [stream, 0, 0, 0, size
 * big-endian]}), start, wait, stop, kill and delete. It records every call so that tests can assert what the server
 * asked for.
 *
 * <p>Its "images" are behaviours chosen by the last path segment of the image name; only images under {@code it/}
 * can be pulled, and none is present until pulled:
 * <ul>
 *   <li>{@code upper*}: reads STDIN to its end, writes it upper-cased to STDOUT (in two frames) and a line to
 *       STDERR, exits 0 (like {@code tr a-z A-Z});</li>
 *   <li>{@code fail*}: writes {@code boom} to STDERR and exits 3;</li>
 *   <li>{@code sleep*}: runs until stopped or killed, then exits 137.</li>
 * </ul>
 * A pull answers with the Engine's progress stream (newline-separated JSON objects, as {@code docker pull} reads
 * them): {@code Pulling from}, per layer {@code Pulling fs layer}, {@code Downloading} with {@code progressDetail}
 * and the progress bar, {@code Verifying Checksum}, {@code Download complete}, {@code Extracting}, {@code Pull complete},
 * then {@code Digest} and {@code Status}; an {@code it/broken*} image breaks off with an in-stream
 * {@code errorDetail}; {@code it/volumes*} images declare {@code /data/input} and {@code /data/output}.
 * {@code POST /build} reads the tar (gzip or not) context, and answers with the classic builder's stream
 * ({@code {"stream": "Step 1/3 : FROM ..."}}, {@code " ---> id"}, {@code aux.ID}, {@code Successfully built/tagged});
 * the Dockerfile decides: a {@code FROM nosuch/...} or a {@code RUN false}/{@code RUN exit 1} fails in the stream
 * with {@code error} and {@code errorDetail}, a {@code RUN sleep ...} streams a line every 100 ms until the client
 * goes away, {@code RUN echo x} prints {@code x}, {@code VOLUME} declares volumes; the tag then exists.
 * It is not Docker: no isolation, no real processes, only the protocol.
 */
public final class FakeDockerEngine implements AutoCloseable {

    /** One call as the client made it: method, path without the API version prefix, decoded query. */
    public record Call(String method, String path, Map<String, String> query) {
    }

    /** A container's state as the fake keeps it. */
    public static final class Container {
        public final String id;
        public final String image;
        public final JsonObject createBody;
        private final ByteArrayOutputStream stdin = new ByteArrayOutputStream();
        private final CountDownLatch stdinClosed = new CountDownLatch(1);
        private final CountDownLatch stopped = new CountDownLatch(1);
        private final CountDownLatch exited = new CountDownLatch(1);
        private volatile Socket attach;
        private volatile boolean running;
        private volatile int exitCode = -1;

        Container(String id, String image, JsonObject createBody) {
            this.id = id;
            this.image = image;
            this.createBody = createBody;
        }

        public Map<String, String> labels() {
            Map<String, String> out = new HashMap<>();
            JsonValue labels = createBody.get("Labels");
            if (labels instanceof JsonObject o) {
                o.forEach((k, v) -> out.put(k, ((JsonString) v).getString()));
            }
            return out;
        }

        public boolean running() {
            return running;
        }

        public int exitCode() {
            return exitCode;
        }

        public byte[] stdin() {
            synchronized (stdin) {
                return stdin.toByteArray();
            }
        }
    }

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-docker-engine");
        t.setDaemon(true);
        return t;
    });
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Set<String> images = ConcurrentHashMap.newKeySet();
    /** Declared volumes of images that have some. */
    private final Map<String, List<String>> volumes = new ConcurrentHashMap<>();
    /** Dockerfiles received by {@code /build}, in order. */
    private final List<String> dockerfiles = new CopyOnWriteArrayList<>();
    /** Builds that were still streaming when their client went away. */
    private final List<String> abandonedBuilds = new CopyOnWriteArrayList<>();
    /** Every container ever created, removed ones included (see {@link #removed}). */
    private final Map<String, Container> containers = new ConcurrentHashMap<>();
    private final Set<String> removed = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private volatile ServerSocketChannel unixServer;

    private FakeDockerEngine(ServerSocket server) {
        this.server = server;
        threads.execute(this::acceptLoop);
    }

    /** Listens on a free loopback port. */
    public static FakeDockerEngine start() {
        return start(0);
    }

    /** Listens on {@code port} (0 = a free one); the same port again after {@link #close()} works. */
    public static FakeDockerEngine start(int port) {
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return new FakeDockerEngine(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The value for {@code DOCKER_HOST}. */
    public String dockerHost() {
        return "tcp://127.0.0.1:" + port();
    }

    /**
     * Also serves on a Unix domain socket at {@code socket} (as the Engine does on {@code /var/run/docker.sock}):
     * each connection there is relayed byte for byte to the TCP port, half-closes included.
     */
    public FakeDockerEngine serveUnixSocket(Path socket) {
        try {
            Files.deleteIfExists(socket);
            ServerSocketChannel unix = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            unix.bind(UnixDomainSocketAddress.of(socket));
            unixServer = unix;
            threads.execute(() -> {
                while (!closed) {
                    try {
                        SocketChannel client = unix.accept();
                        Socket tcp = new Socket(InetAddress.getLoopbackAddress(), port());
                        sockets.add(tcp);
                        // the channel itself, not Channels' streams: those hold one lock for reads and writes
                        threads.execute(() -> relay(b -> client.read(ByteBuffer.wrap(b)), (b, n) -> tcp.getOutputStream().write(b, 0, n),
                                tcp::shutdownOutput));
                        threads.execute(() -> relay(b -> tcp.getInputStream().read(b), (b, n) -> {
                            ByteBuffer buffer = ByteBuffer.wrap(b, 0, n);
                            while (buffer.hasRemaining()) {
                                client.write(buffer);
                            }
                        }, client::close));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            return this;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private interface Closing {
        void run() throws IOException;
    }

    private interface Source {
        int read(byte[] buffer) throws IOException;
    }

    private interface Sink {
        void write(byte[] buffer, int length) throws IOException;
    }

    private static void relay(Source from, Sink to, Closing atEnd) {
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = from.read(buffer)) >= 0; ) {
                to.write(buffer, n);
            }
        } catch (IOException e) {
            // one side went away
        } finally {
            try {
                atEnd.run();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** Calls of one method whose path is {@code path}. */
    public List<Call> calls(String method, String path) {
        return calls.stream().filter(c -> c.method.equals(method) && c.path.equals(path)).toList();
    }

    /** Containers whose labels include all of {@code labels}. */
    public List<Container> containers(Map<String, String> labels) {
        return containers.values().stream().filter(c -> c.labels().entrySet().containsAll(labels.entrySet())).toList();
    }

    public List<String> dockerfiles() {
        return List.copyOf(dockerfiles);
    }

    public List<String> abandonedBuilds() {
        return List.copyOf(abandonedBuilds);
    }

    public boolean hasImage(String name) {
        return images.contains(normalize(name));
    }

    public boolean isRemoved(String id) {
        return removed.contains(id);
    }

    public Optional<Container> container(String id) {
        return Optional.ofNullable(containers.get(id));
    }

    @Override
    public void close() {
        closed = true;
        try {
            if (unixServer != null) {
                unixServer.close();
            }
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        containers.values().forEach(c -> c.stopped.countDown());
        threads.shutdownNow();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = server.accept();
                sockets.add(s);
                threads.execute(() -> serve(s));
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("fake-docker-engine accept failed: " + e);
                }
                return;
            }
        }
    }

    /** One connection: HTTP/1.1 requests, kept alive, until the client closes it or an attach takes it over. */
    private void serve(Socket socket) {
        boolean upgraded = false;
        try {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            while (!closed) {
                Request request = Request.read(in);
                if (request == null) {
                    return;
                }
                calls.add(new Call(request.method, request.path, request.query));
                if (request.method.equals("POST") && request.path.matches("/containers/[^/]+/attach")) {
                    upgraded = true;
                    attach(request, socket, in, out);
                    return;
                }
                handle(request, out);
                if ("close".equalsIgnoreCase(request.headers.get("connection"))) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away
        } finally {
            if (!upgraded) {
                close(socket);
            }
        }
    }

    private void handle(Request r, OutputStream out) throws IOException {
        String p = r.path;
        if (p.equals("/_ping")) {
            respond(out, 200, "text/plain", "OK");
        } else if (p.equals("/version")) {
            respond(out, 200, Json.createObjectBuilder().add("Version", "0.0.0-fake").add("ApiVersion", "1.47")
                    .add("MinAPIVersion", "1.24").add("Os", "linux").add("Arch", "amd64").build());
        } else if (p.equals("/info")) {
            respond(out, 200, Json.createObjectBuilder().add("Name", "fake-docker-engine").build());
        } else if (r.method.equals("GET") && p.startsWith("/images/") && p.endsWith("/json")) {
            String name = normalize(p.substring("/images/".length(), p.length() - "/json".length()));
            if (images.contains(name)) {
                var config = Json.createObjectBuilder();
                List<String> declared = volumes.get(name);
                if (declared == null) {
                    config.add("Volumes", JsonValue.NULL);
                } else {
                    var v = Json.createObjectBuilder();
                    declared.forEach(d -> v.add(d, JsonValue.EMPTY_JSON_OBJECT));
                    config.add("Volumes", v);
                }
                respond(out, 200, Json.createObjectBuilder().add("Id", "sha256:" + hex(name))
                        .add("RepoTags", Json.createArrayBuilder().add(name)).add("Config", config).build());
            } else {
                error(out, 404, "No such image: " + name);
            }
        } else if (r.method.equals("POST") && p.equals("/images/create")) {
            pull(r, out);
        } else if (r.method.equals("POST") && p.equals("/build")) {
            build(r, out);
        } else if (r.method.equals("POST") && p.equals("/containers/create")) {
            create(r, out);
        } else if (p.startsWith("/containers/")) {
            container(r, out);
        } else {
            error(out, 404, "page not found");
        }
    }

    private void pull(Request r, OutputStream out) throws IOException {
        String from = r.query.getOrDefault("fromImage", "");
        String tag = r.query.get("tag");
        String name = normalize(tag == null || tag.isEmpty() ? from : from + ":" + tag);
        if (!name.startsWith("it/")) {
            error(out, 404, "pull access denied for " + from + ", repository does not exist or may require 'docker login'");
            return;
        }
        String repo = name.substring(0, name.lastIndexOf(':'));
        String behaviour = repo.substring(repo.lastIndexOf('/') + 1);
        StringBuilder body = new StringBuilder();
        line(body, Json.createObjectBuilder().add("status", "Pulling from " + repo).add("id", name.substring(repo.length() + 1)));
        List<String> layers = List.of(hex("a" + name).substring(0, 12), hex("b" + name).substring(0, 12));
        long[] sizes = {4_194_304, 1_048_576};
        for (String layer : layers) {
            line(body, Json.createObjectBuilder().add("status", "Pulling fs layer").add("progressDetail", JsonValue.EMPTY_JSON_OBJECT).add("id", layer));
        }
        for (int l = 0; l < layers.size(); l++) {
            String layer = layers.get(l);
            for (int quarter = 1; quarter <= 4; quarter++) {
                long current = sizes[l] * quarter / 4;
                line(body, Json.createObjectBuilder().add("status", "Downloading")
                        .add("progressDetail", Json.createObjectBuilder().add("current", current).add("total", sizes[l]))
                        .add("progress", bar(current, sizes[l])).add("id", layer));
                if (behaviour.startsWith("broken") && l == 0 && quarter == 2) {
                    line(body, Json.createObjectBuilder().add("errorDetail", Json.createObjectBuilder().add("message", "unexpected EOF"))
                            .add("error", "unexpected EOF"));
                    respond(out, 200, "application/json", body.toString());
                    return;
                }
            }
            line(body, Json.createObjectBuilder().add("status", "Verifying Checksum").add("progressDetail", JsonValue.EMPTY_JSON_OBJECT).add("id", layer));
            line(body, Json.createObjectBuilder().add("status", "Download complete").add("progressDetail", JsonValue.EMPTY_JSON_OBJECT).add("id", layer));
            for (int half = 1; half <= 2; half++) {
                long current = sizes[l] * half / 2;
                line(body, Json.createObjectBuilder().add("status", "Extracting")
                        .add("progressDetail", Json.createObjectBuilder().add("current", current).add("total", sizes[l]))
                        .add("progress", bar(current, sizes[l])).add("id", layer));
            }
            line(body, Json.createObjectBuilder().add("status", "Pull complete").add("progressDetail", JsonValue.EMPTY_JSON_OBJECT).add("id", layer));
        }
        line(body, Json.createObjectBuilder().add("status", "Digest: sha256:" + hex(name) + hex(name)));
        line(body, Json.createObjectBuilder().add("status", "Status: Downloaded newer image for " + name));
        images.add(name);
        if (behaviour.startsWith("volumes")) {
            volumes.put(name, List.of("/data/input", "/data/output"));
        }
        respond(out, 200, "application/json", body.toString());
    }

    private static void line(StringBuilder body, jakarta.json.JsonObjectBuilder item) {
        body.append(item.build()).append("\r\n");
    }

    /** The Engine's progress bar: 50 characters wide, then the sizes. */
    private static String bar(long current, long total) {
        int filled = (int) (50 * current / total);
        String arrow = filled >= 50 ? "=".repeat(50) : "=".repeat(filled) + ">" + " ".repeat(49 - filled);
        return "[" + arrow + "]  " + String.format(Locale.ROOT, "%.3fMB/%.3fMB", current / 1e6, total / 1e6);
    }

    /** {@code POST /build}: the context's Dockerfile decides what the classic builder's stream says. */
    private void build(Request r, OutputStream out) throws IOException {
        String tag = normalize(r.query.getOrDefault("t", ""));
        String dockerfileName = r.query.getOrDefault("dockerfile", "Dockerfile");
        Map<String, byte[]> files = untar(r.body);
        byte[] df = files.get(dockerfileName);
        if (df == null) {
            error(out, 500, "Cannot locate specified Dockerfile: " + dockerfileName);
            return;
        }
        String dockerfile = new String(df, StandardCharsets.UTF_8);
        dockerfiles.add(dockerfile);
        List<String> steps = dockerfile.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        // streamed as it goes (chunked), as the Engine does: the client reads the steps while the build runs
        out.write(("HTTP/1.1 200 OK\r\nApi-Version: 1.47\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        List<String> declared = new ArrayList<>();
        try {
            for (int i = 0; i < steps.size(); i++) {
                String step = steps.get(i);
                chunk(out, Json.createObjectBuilder().add("stream", "Step " + (i + 1) + "/" + steps.size() + " : " + step));
                chunk(out, Json.createObjectBuilder().add("stream", "\n"));
                String word = step.split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
                String rest = step.contains(" ") ? step.substring(step.indexOf(' ') + 1).strip() : "";
                if (word.equals("FROM") && rest.startsWith("nosuch/")) {
                    String message = "pull access denied for " + rest.split("[: ]")[0] + ", repository does not exist or may require 'docker login'";
                    chunk(out, Json.createObjectBuilder().add("errorDetail", Json.createObjectBuilder().add("message", message)).add("error", message));
                    endChunks(out);
                    return;
                }
                if (word.equals("RUN")) {
                    String container = hex("run" + i + tag).substring(0, 12);
                    chunk(out, Json.createObjectBuilder().add("stream", " ---> Running in " + container + "\n"));
                    if (rest.equals("false") || rest.startsWith("exit ")) {
                        int code = rest.equals("false") ? 1 : Integer.parseInt(rest.substring(5).strip());
                        String message = "The command '/bin/sh -c " + rest + "' returned a non-zero code: " + code;
                        chunk(out, Json.createObjectBuilder().add("errorDetail", Json.createObjectBuilder().add("code", code).add("message", message))
                                .add("error", message));
                        endChunks(out);
                        return;
                    }
                    if (rest.startsWith("sleep")) {
                        for (int n = 0; n < 600; n++) {
                            chunk(out, Json.createObjectBuilder().add("stream", "still working " + n + "\n"));
                            sleep(100);
                        }
                    } else if (rest.startsWith("echo ")) {
                        chunk(out, Json.createObjectBuilder().add("stream", rest.substring(5) + "\n"));
                    }
                    chunk(out, Json.createObjectBuilder().add("stream", "Removing intermediate container " + container + "\n"));
                }
                if (word.equals("VOLUME")) {
                    for (String v : rest.replaceAll("[\\[\\]\",]", " ").trim().split("\\s+")) {
                        declared.add(v);
                    }
                }
                chunk(out, Json.createObjectBuilder().add("stream", " ---> " + hex("layer" + i + tag).substring(0, 12) + "\n"));
            }
            String id = hex("image" + tag).substring(0, 12);
            chunk(out, Json.createObjectBuilder().add("aux", Json.createObjectBuilder().add("ID", "sha256:" + hex("image" + tag) + hex(tag))));
            chunk(out, Json.createObjectBuilder().add("stream", "Successfully built " + id + "\n"));
            chunk(out, Json.createObjectBuilder().add("stream", "Successfully tagged " + tag + "\n"));
            images.add(tag);
            if (!declared.isEmpty()) {
                volumes.put(tag, List.copyOf(declared));
            }
            endChunks(out);
        } catch (IOException gone) {
            abandonedBuilds.add(tag);
            throw gone;
        }
    }

    private static void chunk(OutputStream out, jakarta.json.JsonObjectBuilder item) throws IOException {
        byte[] bytes = (item.build() + "\r\n").getBytes(StandardCharsets.UTF_8);
        out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static void endChunks(OutputStream out) throws IOException {
        out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The files of a tar archive (gzip-compressed or not), by their names. */
    static Map<String, byte[]> untar(byte[] archive) throws IOException {
        InputStream in = new java.io.ByteArrayInputStream(archive);
        if (archive.length > 2 && (archive[0] & 0xff) == 0x1f && (archive[1] & 0xff) == 0x8b) {
            in = new java.util.zip.GZIPInputStream(in);
        }
        Map<String, byte[]> files = new HashMap<>();
        byte[] header = new byte[512];
        while (in.readNBytes(header, 0, 512) == 512) {
            String name = field(header, 0, 100);
            if (name.isEmpty()) {
                break;
            }
            String prefix = field(header, 345, 155);
            long size = Long.parseLong(field(header, 124, 12).isEmpty() ? "0" : field(header, 124, 12), 8);
            byte[] data = in.readNBytes((int) size);
            in.readNBytes((int) ((512 - size % 512) % 512));
            char type = (char) header[156];
            if (type == '0' || type == 0) {
                String full = (prefix.isEmpty() ? "" : prefix + "/") + name;
                files.put(full.startsWith("./") ? full.substring(2) : full, data);
            }
        }
        return files;
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.ISO_8859_1).strip();
    }

    private void create(Request r, OutputStream out) throws IOException {
        JsonObject body;
        try (var reader = Json.createReader(new StringReader(new String(r.body, StandardCharsets.UTF_8)))) {
            body = reader.readObject();
        } catch (RuntimeException e) {
            error(out, 400, "invalid JSON: " + e.getMessage());
            return;
        }
        String image = body.getString("Image", "");
        if (!images.contains(normalize(image))) {
            error(out, 404, "No such image: " + image);
            return;
        }
        String id = hex(UUID.randomUUID().toString()) + hex(UUID.randomUUID().toString());
        containers.put(id, new Container(id, normalize(image), body));
        respond(out, 201, Json.createObjectBuilder().add("Id", id).add("Warnings", Json.createArrayBuilder()).build());
    }

    private void container(Request r, OutputStream out) throws IOException {
        String[] parts = r.path.substring("/containers/".length()).split("/", 2);
        Container c = containers.get(parts[0]);
        if (c == null || removed.contains(c.id)) {
            error(out, 404, "No such container: " + parts[0]);
            return;
        }
        String action = parts.length > 1 ? parts[1] : "";
        switch (r.method + " " + action) {
            case "POST start" -> {
                if (c.running || c.exitCode >= 0) {
                    respond(out, 304, "text/plain", "");
                    return;
                }
                c.running = true;
                threads.execute(() -> run(c));
                respond(out, 204, "text/plain", "");
            }
            case "POST wait" -> {
                try {
                    c.exited.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                respond(out, 200, Json.createObjectBuilder().add("StatusCode", c.exitCode).add("Error", JsonValue.NULL).build());
            }
            case "POST stop", "POST kill" -> {
                if (!c.running) {
                    respond(out, 304, "text/plain", "");
                    return;
                }
                c.stopped.countDown();
                awaitExit(c);
                respond(out, 204, "text/plain", "");
            }
            case "DELETE " -> {
                if (c.running) {
                    if (!"true".equals(r.query.get("force")) && !"1".equals(r.query.get("force"))) {
                        error(out, 409, "You cannot remove a running container " + c.id + ". Stop the container before attempting removal or force remove");
                        return;
                    }
                    c.stopped.countDown();
                    awaitExit(c);
                }
                removed.add(c.id);
                close(c.attach);
                respond(out, 204, "text/plain", "");
            }
            case "GET json" -> respond(out, 200, Json.createObjectBuilder().add("Id", c.id)
                    .add("State", Json.createObjectBuilder().add("Running", c.running).add("ExitCode", c.exitCode)).build());
            default -> error(out, 404, "page not found");
        }
    }

    private static void awaitExit(Container c) {
        try {
            c.exited.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Takes the connection over: 101, then STDIN is read from it while the container's output goes back on it. */
    private void attach(Request r, Socket socket, InputStream in, OutputStream out) throws IOException {
        String id = r.path.split("/")[2];
        Container c = containers.get(id);
        if (c == null || removed.contains(id)) {
            error(out, 404, "No such container: " + id);
            close(socket);
            return;
        }
        c.attach = socket;
        out.write(("HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\n"
                + "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                synchronized (c.stdin) {
                    c.stdin.write(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            // the container ended and closed the stream
        } finally {
            c.stdinClosed.countDown();
        }
    }

    /** The container's "process". */
    private void run(Container c) {
        String behaviour = c.image.substring(c.image.lastIndexOf('/') + 1);
        int code;
        try {
            if (behaviour.startsWith("upper")) {
                awaitEither(c.stdinClosed, c.stopped);
                if (c.stopped.getCount() == 0) {
                    code = 137;
                } else {
                    String text = new String(c.stdin(), StandardCharsets.UTF_8).toUpperCase(Locale.ROOT);
                    int half = text.length() / 2;
                    frame(c, 1, text.substring(0, half).getBytes(StandardCharsets.UTF_8));
                    frame(c, 2, "upper: done\n".getBytes(StandardCharsets.UTF_8));
                    frame(c, 1, text.substring(half).getBytes(StandardCharsets.UTF_8));
                    code = 0;
                }
            } else if (behaviour.startsWith("fail")) {
                frame(c, 2, "boom\n".getBytes(StandardCharsets.UTF_8));
                code = 3;
            } else {
                c.stopped.await();
                code = 137;
            }
        } catch (InterruptedException e) {
            code = 137;
        }
        c.exitCode = code;
        c.running = false;
        // the Engine ends the attach stream when the container exits
        close(c.attach);
        c.exited.countDown();
    }

    private static void awaitEither(CountDownLatch a, CountDownLatch b) throws InterruptedException {
        while (a.getCount() > 0 && b.getCount() > 0) {
            a.await(20, TimeUnit.MILLISECONDS);
        }
    }

    private static void frame(Container c, int stream, byte[] payload) {
        Socket s = c.attach;
        if (s == null || payload.length == 0) {
            return;
        }
        ByteBuffer header = ByteBuffer.allocate(8).put((byte) stream).put((byte) 0).put((byte) 0).put((byte) 0)
                .putInt(payload.length);
        try {
            synchronized (s) {
                OutputStream out = s.getOutputStream();
                out.write(header.array());
                out.write(payload);
                out.flush();
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private static void respond(OutputStream out, int status, JsonObject body) throws IOException {
        respond(out, status, "application/json", body.toString());
    }

    private static void error(OutputStream out, int status, String message) throws IOException {
        respond(out, status, Json.createObjectBuilder().add("message", message).build());
    }

    private static void respond(OutputStream out, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        boolean noBody = status == 204 || status == 304;
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n")
                .append("Api-Version: 1.47\r\nServer: Docker/0.0.0-fake (linux)\r\n");
        if (!noBody) {
            head.append("Content-Type: ").append(contentType).append("\r\nContent-Length: ").append(bytes.length).append("\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (!noBody) {
            out.write(bytes);
        }
        out.flush();
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 204 -> "No Content";
            case 304 -> "Not Modified";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 409 -> "Conflict";
            default -> "Status";
        };
    }

    /** {@code name} with {@code :latest} when it has neither tag nor digest, as the Engine reads it. */
    static String normalize(String image) {
        if (image.contains("@") || image.lastIndexOf(':') > image.lastIndexOf('/')) {
            return image;
        }
        return image + ":latest";
    }

    private static String hex(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            b.append(String.format("%02x", x));
        }
        return b.length() > 32 ? b.substring(0, 32) : String.format("%-32s", b).replace(' ', '0');
    }

    private static void close(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    /** One parsed HTTP/1.1 request; the body read by Content-Length or chunked transfer coding. */
    private record Request(String method, String path, Map<String, String> query, Map<String, String> headers, byte[] body) {

        static Request read(InputStream in) throws IOException {
            String line = line(in);
            if (line == null || line.isEmpty()) {
                return null;
            }
            String[] parts = line.split(" ");
            String target = parts[1];
            Map<String, String> headers = new HashMap<>();
            for (String h; (h = line(in)) != null && !h.isEmpty(); ) {
                int colon = h.indexOf(':');
                headers.put(h.substring(0, colon).strip().toLowerCase(Locale.ROOT), h.substring(colon + 1).strip());
            }
            byte[] body;
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                while (true) {
                    String size = line(in);
                    int n = Integer.parseInt(size.split(";")[0].strip(), 16);
                    if (n == 0) {
                        while (!line(in).isEmpty()) {
                            // trailers
                        }
                        break;
                    }
                    b.write(in.readNBytes(n));
                    line(in);
                }
                body = b.toByteArray();
            } else if (headers.containsKey("content-length")) {
                body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
            } else {
                body = new byte[0];
            }
            int q = target.indexOf('?');
            String rawPath = q < 0 ? target : target.substring(0, q);
            Map<String, String> query = new HashMap<>();
            if (q >= 0) {
                for (String pair : target.substring(q + 1).split("&")) {
                    if (pair.isEmpty()) {
                        continue;
                    }
                    int eq = pair.indexOf('=');
                    query.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
                }
            }
            String path = decode(rawPath.replace("+", "%2B")).replaceFirst("^/v[0-9]+\\.[0-9]+/", "/");
            return new Request(parts[0], path, query, headers, body);
        }

        private static String decode(String s) {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int c; (c = in.read()) >= 0; ) {
                if (c == '\n') {
                    byte[] bytes = b.toByteArray();
                    int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
                }
                b.write(c);
            }
            return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** For a test's failure message. */
    @Override
    public String toString() {
        List<String> lines = new ArrayList<>();
        calls.forEach(c -> lines.add(c.method + " " + c.path + " " + c.query));
        return "FakeDockerEngine calls:\n" + String.join("\n", lines);
    }
}
