package dev.switchboard.faults;

import dev.switchboard.it.AppServer;

import java.util.ArrayList;
import java.util.List;

/**
 * One well-behaved client per dialect that stays connected through a fault run, subscribed to what its dialect
 * pushes. At the end it must still be open, answer its dialect's ping (or a WebSocket ping where the dialect has
 * none) and receive a push made after the run.
 */
final class Bystander implements AutoCloseable {

    final Target target;
    final FaultSocket ws;
    final List<String> failures = new ArrayList<>();
    long pushes;

    private Bystander(Target target, FaultSocket ws) {
        this.target = target;
        this.ws = ws;
    }

    static Bystander open(AppServer server, Target t, String token) throws Exception {
        String path = t.path().endsWith("username=") ? t.path() + "bystander" : t.path();
        Bystander b = new Bystander(t, FaultSocket.open(server.port(), path));
        switch (t.name()) {
            case "vault" -> b.ws.sendText("{\"type\":\"subscribe\",\"topic\":\"system\"}");
            case "rtc" -> b.ws.sendText("{\"type\":\"Subscribe\",\"data\":{\"topics\":[\"bystander.#\"]}}");
            default -> {
            }
        }
        return b;
    }

    /** The text a push of this dialect carries. */
    private String push() {
        return switch (target.name()) {
            case "node" -> "\"type\":\"node.status\"";
            case "vault" -> "\"type\":\"system_metrics\"";
            case "rtc" -> "bystander.end";
            case "control" -> "\"event\":\"agent:heartbeat\"";
            default -> "bystander-end";
        };
    }

    private long drain() throws InterruptedException {
        long n = 0;
        FaultSocket.Frame f;
        while ((f = ws.next(0)) != null && f != FaultSocket.EOF && f.opcode() != 8) {
            n++;
        }
        return n;
    }

    void check(AppServer server, String token) throws Exception {
        if (ws.closed()) {
            failures.add(target.name() + " bystander was dropped: close " + ws.closeCode);
            return;
        }
        pushes = drain();
        // its dialect's own ping where there is one, else a WebSocket ping
        String ping = switch (target.name()) {
            case "node", "vault" -> "{\"type\":\"ping\"}";
            case "rtc" -> "{\"type\":\"Ping\",\"data\":{\"timestamp\":42}}";
            default -> null;
        };
        if (ping != null) {
            ws.sendText(ping);
            if (!await(target.name().equals("rtc") ? "\"type\":\"Pong\"" : "\"type\":\"pong\"", 30_000)) {
                failures.add(target.name() + " bystander: no pong to its ping");
            }
        }
        if (!ws.ping(30_000)) {
            failures.add(target.name() + " bystander: no WebSocket pong");
        }
        // a push made now
        if (target.name().equals("rtc")) {
            try (FaultSocket pub = FaultSocket.open(server.port(), "/rtc/ws?token=" + token)) {
                pub.sendText("{\"type\":\"Broadcast\",\"data\":{\"topic\":\"bystander.end\",\"payload\":{\"x\":1}}}");
                check(push());
            }
        } else if (target.name().equals("workspace")) {
            try (FaultSocket pub = FaultSocket.open(server.port(), "/workspace/ws?username=bystander-pub")) {
                pub.sendText("{\"type\":\"message:send\",\"text\":\"bystander-end\"}");
                check(push());
            }
        } else {
            check(push());
        }
    }

    private void check(String push) throws InterruptedException {
        if (!await(push, 60_000)) {
            failures.add(target.name() + " bystander: no push (" + push + ") after the run"
                    + (ws.closed() ? ", closed " + ws.closeCode : ""));
        }
    }

    private boolean await(String text, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            FaultSocket.Frame f = ws.next(Math.max(1, deadline - System.currentTimeMillis()));
            if (f == null || f == FaultSocket.EOF || f.opcode() == 8) {
                return false;
            }
            if (f.opcode() == 1 && f.text().contains(text)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        ws.close();
    }
}
