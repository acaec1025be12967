package dev.switchboard.faults;

import dev.switchboard.it.Api;
import dev.switchboard.it.AppServer;

import java.util.concurrent.TimeUnit;

/** The server's heap: a full GC through jcmd, then {@code jvm_memory_heap_used_bytes} from {@code /metrics}. */
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

    static long used(AppServer server) {
        for (String line : Api.get(server, "/metrics").body().split("\n")) {
            if (line.startsWith("jvm_memory_heap_used_bytes")) {
                return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return -1;
    }
}
