package dev.switchboard.it;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.StringReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Records the text frames the server sends to the IT clients ({@link WsClient}, {@link RawWebSocket}), one file per
 * dialect ({@code <it.frames>/<dialect>.jsonl}, lines {@code {"test": ..., "text": ...}}), so that the build can check
 * each against its message schema in {@code src/main/webapp/asyncapi.yaml} (src/test/asyncapi/validate.mjs).
 * <p>
 * Bounded: a frame's shape (its field paths and the values of its code and status fields) is recorded at most
 * {@value #PER_SHAPE} times per dialect, frames over {@value #MAX_FRAME_CHARS} characters are left out, and a file
 * stops growing at {@value #MAX_FILE_BYTES} bytes. Recording never fails a test: an I/O problem switches it off.
 * <p>
 * The clients' reader threads only hand the text to a queue; one daemon thread parses and writes, and the JVM's
 * exit drains what is left. A timing test (a flood, a slow reader) thus reads as fast as without recording; when
 * the queue is full ({@value #QUEUE} frames behind, only in floods of one shape) frames are dropped.
 */
public final class ReceivedFrames {

    static final int PER_SHAPE = 100;
    static final int MAX_FRAME_CHARS = 256 * 1024;
    static final long MAX_FILE_BYTES = 32L * 1024 * 1024;
    static final int QUEUE = 20_000;
    /** Fields whose values tell shapes of one type apart (rtc Status and Error, error codes, levels). */
    private static final Set<String> TELLING = Set.of("type", "event", "status", "code", "level", "stepStatus");

    private static final Path DIR = Path.of(System.getProperty("it.frames", "target/it-frames"));
    private static final Map<String, Writer> FILES = new HashMap<>();
    private static final Map<String, Long> SIZES = new HashMap<>();
    private static final Map<String, Integer> SHAPES = new HashMap<>();
    private static final BlockingQueue<String[]> PENDING = new ArrayBlockingQueue<>(QUEUE);
    private static final JsonReaderFactory READERS = Json.createReaderFactory(Map.of());
    private static volatile boolean off;

    static {
        try {
            Files.createDirectories(DIR);
            // this JVM's run only: frames of an earlier run may come from another server version
            try (var old = Files.list(DIR)) {
                for (Path p : (Iterable<Path>) old::iterator) {
                    if (p.getFileName().toString().endsWith(".jsonl")) {
                        Files.delete(p);
                    }
                }
            }
        } catch (IOException e) {
            System.err.println("it.frames off: " + e);
            off = true;
        }
        Thread writer = new Thread(() -> {
            try {
                while (true) {
                    write(PENDING.take());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "it-frames-writer");
        writer.setDaemon(true);
        writer.start();
        Runtime.getRuntime().addShutdownHook(new Thread(ReceivedFrames::closeAll));
    }

    private ReceivedFrames() {
    }

    /** The dialect served at a WebSocket path, or null for a path that is none (then nothing is recorded). */
    static String dialect(String path) {
        if (path == null) {
            return null;
        }
        return switch (path) {
            case "/api/ws" -> "node";
            case "/ws" -> "vault";
            case "/rtc/ws" -> "rtc";
            case "/control/ws" -> "control";
            case "/workspace/ws" -> "workspace";
            default -> null;
        };
    }

    /**
     * Records one complete text frame the server sent on {@code path} (the URI's path, no query).
     * @param test who connected, from {@link #caller()} (clients read on their own threads)
     */
    static void record(String path, String test, String text) {
        String dialect = dialect(path);
        if (dialect == null || text.length() > MAX_FRAME_CHARS || off) {
            return;
        }
        PENDING.offer(new String[] {dialect, test == null ? "?" : test, text});
    }

    private static void write(String[] frame) {
        String dialect = frame[0];
        String text = frame[2];
        String key = dialect + " " + shape(text);
        synchronized (ReceivedFrames.class) {
            if (off || SHAPES.merge(key, 1, Integer::sum) > PER_SHAPE) {
                return;
            }
            String line = Json.createObjectBuilder().add("test", frame[1]).add("text", text).build() + "\n";
            long size = SIZES.getOrDefault(dialect, 0L) + line.length();
            if (size > MAX_FILE_BYTES) {
                return;
            }
            try {
                Writer w = FILES.get(dialect);
                if (w == null) {
                    w = Files.newBufferedWriter(DIR.resolve(dialect + ".jsonl"), StandardCharsets.UTF_8,
                            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    FILES.put(dialect, w);
                }
                w.write(line);
                w.flush();
                SIZES.put(dialect, size);
            } catch (IOException e) {
                System.err.println("it.frames off: " + e);
                off = true;
            }
        }
    }

    /** Field paths and telling values: two frames of one shape exercise the same schema paths. */
    static String shape(String text) {
        JsonValue value;
        try (var reader = READERS.createReader(new StringReader(text))) {
            value = reader.readValue();
        } catch (RuntimeException e) {
            return "not-json";
        }
        Set<String> out = new TreeSet<>();
        walk("", value, out);
        return String.join(",", out);
    }

    private static void walk(String at, JsonValue v, Set<String> out) {
        if (out.size() > 200) {
            return;
        }
        if (v instanceof JsonObject o) {
            for (var e : o.entrySet()) {
                String path = at + "/" + e.getKey();
                out.add(path);
                if (TELLING.contains(e.getKey()) && !(e.getValue() instanceof JsonObject) && !(e.getValue() instanceof JsonArray)) {
                    String s = e.getValue() instanceof JsonString str ? str.getString() : e.getValue().toString();
                    out.add(path + "=" + (s.length() > 40 ? s.substring(0, 40) : s));
                }
                walk(path, e.getValue(), out);
            }
        } else if (v instanceof JsonArray a) {
            for (JsonValue item : a) {
                walk(at + "[]", item, out);
            }
        }
    }

    /** The IT class and method on the calling thread's stack, for the report of a frame that fails. */
    static String caller() {
        return StackWalker.getInstance().walk(frames -> frames
                .filter(f -> f.getClassName().endsWith("IT") || f.getClassName().contains("IT$"))
                .map(f -> f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1) + "." + f.getMethodName())
                .findFirst().orElse(Thread.currentThread().getName()));
    }

    private static void closeAll() {
        List<String[]> rest = new ArrayList<>();
        PENDING.drainTo(rest);
        rest.forEach(ReceivedFrames::write);
        synchronized (ReceivedFrames.class) {
            closeFiles();
        }
    }

    private static void closeFiles() {
        for (Writer w : FILES.values()) {
            try {
                w.close();
            } catch (IOException e) {
                // the JVM is exiting; every line was flushed already
            }
        }
        FILES.clear();
        off = true;
    }
}
