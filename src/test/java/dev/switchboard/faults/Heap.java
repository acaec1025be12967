package dev.switchboard.faults;

import dev.switchboard.it.Api;
import dev.switchboard.it.AppServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The server's memory: a full GC through jcmd, then {@code jvm_memory_heap_used_bytes} from {@code /metrics}; the
 * live-heap histogram; the process's resident set ({@code /proc}); a heap dump for a closer look.
 */
final class Heap {

    private Heap() {
    }

    static void gc(AppServer server) throws Exception {
        Process p = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(server.pid()), "GC.run").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        p.waitFor(60, TimeUnit.SECONDS);
    }

    /** The first {@code lines} classes of the live-heap histogram. */
    static String histogram(AppServer server, int lines) throws Exception {
        Process p = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(server.pid()), "GC.class_histogram").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        StringBuilder b = new StringBuilder();
        String[] all = out.split("\n");
        for (int i = 0; i < all.length && i < lines + 3; i++) {
            b.append(all[i]).append('\n');
        }
        return b.toString();
    }

    /** The whole live-heap histogram (it collects first): class name → {instances, bytes}. */
    static Map<String, long[]> classes(AppServer server) throws Exception {
        Map<String, long[]> out = new HashMap<>();
        for (String line : jcmd(server, "GC.class_histogram").split("\n")) {
            // "   1:         52345       12345678  [B (java.base@17.0.9)"
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].endsWith(":") && !f[0].equals("Total")) {
                try {
                    out.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
                } catch (NumberFormatException e) {
                    // the header line
                }
            }
        }
        return out;
    }

    /**
     * Payara only: Tyrus sessions on the heap beyond the open connections, after a full GC, polled for up to 30 s
     * (the server lets go of closed connections every few seconds); -1 on other servers. Closed connections that
     * stay reachable keep their message buffers (see {@code transport.tyrus.ClosedRelease}).
     */
    static long closedSessionsLeft(AppServer server) throws Exception {
        if (!AppServer.kind().equals("payara")) {
            return -1;
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        long left;
        do {
            long sessions = classes(server).getOrDefault("org.glassfish.tyrus.core.TyrusSession", new long[1])[0];
            left = Math.max(0, sessions - Soak.connections(server));
            if (left > 0) {
                Thread.sleep(1000);
            }
        } while (left > 0 && System.nanoTime() < deadline);
        return left;
    }

    /** {@code jcmd GC.heap_dump} of the live objects to {@code file} (an {@code .hprof}; it must not exist yet). */
    static void dump(AppServer server, Path file) throws Exception {
        Files.createDirectories(file.toAbsolutePath().getParent());
        jcmd(server, "GC.heap_dump", file.toAbsolutePath().toString());
    }

    /** The server process's resident set in bytes ({@code VmRSS} of {@code /proc/<pid>/status}), -1 where there is none. */
    static long rss(AppServer server) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(server.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process is gone
        }
        return -1;
    }

    /** Open file descriptors of the server process (sockets included), -1 where {@code /proc} does not say. */
    static long fds(AppServer server) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(server.pid()), "fd"))) {
            return fds.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static String jcmd(AppServer server, String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(server.pid())));
        args.addAll(List.of(command));
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor(120, TimeUnit.SECONDS);
        return out;
    }

    static long used(AppServer server) {
        for (String line : Api.get(server, "/metrics").body().split("\n")) {
            if (line.startsWith("jvm_memory_heap_used_bytes")) {
                return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return -1;
    }
}
