package dev.switchboard.faults;

import dev.switchboard.it.Api;
import dev.switchboard.it.PayaraServer;

import java.util.concurrent.TimeUnit;

/** The server's heap: a full GC through jcmd, then {@code jvm_memory_heap_used_bytes} from {@code /metrics}. */
final class Heap {

    private Heap() {
    }

    static void gc(PayaraServer server) throws Exception {
        Process p = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(server.pid()), "GC.run").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        p.waitFor(60, TimeUnit.SECONDS);
    }

    static long used(PayaraServer server) {
        for (String line : Api.get(server, "/metrics").body().split("\n")) {
            if (line.startsWith("jvm_memory_heap_used_bytes")) {
                return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return -1;
    }
}
