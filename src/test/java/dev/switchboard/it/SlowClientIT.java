package dev.switchboard.it;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One client that floods unknown message types and never reads the error frames: its socket and then its outbound queue fill up.
 * The 50 others must still get node.status on time, and the stuck one is closed (1013), not waited for.
 */
class SlowClientIT {

    @Test
    void aClientThatNeverReadsDoesNotDelayNodeStatusToFiftyOthers() throws Exception {
        AppServer server = SharedServer.get();
        String token = Api.adminToken(server);
        List<WsClient> others = new ArrayList<>();
        AtomicBoolean flooding = new AtomicBoolean(true);
        try (RawWebSocket stuck = RawWebSocket.open(server.port(), "/api/ws?token=" + token, Map.of(), 2048)) {
            assertEquals(101, stuck.handshake().status());
            double closedBefore = slowOrFailedCloses(server);
            for (int i = 0; i < 50; i++) {
                WsClient c = WsClient.connect(server.ws("/api/ws?token=" + token));
                c.nextOfType("connected", Duration.ofSeconds(10));
                others.add(c);
            }
            Thread flood = new Thread(() -> {
                try {
                    // each answer is an error frame of ~170 bytes (the unknown type is echoed, up to 64 characters)
                    String junk = "{\"type\":\"" + "x".repeat(64) + "\"}";
                    for (int i = 0; i < 100_000 && flooding.get(); i++) {
                        stuck.sendText(junk);
                        if (i % 180 == 179) {
                            Thread.sleep(100); // stay under the shared server's 2,000/s limit
                        }
                    }
                } catch (IOException | InterruptedException e) {
                    // the server closed it: expected
                }
            });
            flood.start();
            long start = System.nanoTime();
            for (WsClient c : others) {
                c.nextOfType("node.status", Duration.ofSeconds(6).minusNanos(Math.min(System.nanoTime() - start, 5_000_000_000L)));
            }
            for (WsClient c : others) {
                long left = Duration.ofSeconds(11).toNanos() - (System.nanoTime() - start);
                c.nextOfType("node.status", Duration.ofNanos(Math.max(left, 1_000_000)));
            }
            flooding.set(false);
            flood.join(20_000);
            // now read what the server managed to write: error frames, then its close frame
            stuck.soTimeout(30_000);
            int answers = 0;
            RawWebSocket.Frame frame;
            try {
                do {
                    frame = stuck.readFrame();
                    if (frame.opcode() == 0x1 && frame.text().contains("UNKNOWN_TYPE")) {
                        answers++;
                    }
                } while (frame.opcode() != 0x8);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the stuck client was never closed (read " + answers + " answers)", e);
            } catch (java.net.SocketException | java.io.EOFException reset) {
                // the server closed it while the flood's bytes still lay unread in its socket: the kernel answers
                // that with a reset, which throws away the close frame before this client reads it; or (seen on
                // Liberty) the container ended the TCP connection without the close frame it could not write to a
                // client that read nothing. Then the server's own counters say why it closed the connection.
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (slowOrFailedCloses(server) <= closedBefore && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertTrue(slowOrFailedCloses(server) > closedBefore,
                        "reset, but not counted as a slow consumer or a write timeout (" + answers + " answers read)");
                System.out.println("it.slow-client closed by reset after its close answers-read=" + answers);
                return;
            }
            // 1013: its outbound queue overflowed; 1001: one write waited past the write timeout. Which comes first
            // depends on how much the kernel's socket buffers absorb; either way it was closed, not waited for.
            assertTrue(frame.closeCode() == 1013 || frame.closeCode() == 1001,
                    "closed as a slow consumer after " + answers + " answers, code " + frame.closeCode());
            assertTrue(answers > 0);
            System.out.println("it.slow-client closed code=" + frame.closeCode() + " reason=\"" + new String(frame.payload(), 2, Math.max(0, frame.payload().length - 2), java.nio.charset.StandardCharsets.UTF_8) + "\" answers-read=" + answers);
        } finally {
            flooding.set(false);
            others.forEach(WsClient::close);
        }
    }

    /**
     * A client that stops reading (its socket's receive window shrunk to 2 KB) while answers are made for it, until
     * the kernel's buffers are full and answers wait in its outbound queue (the server's queue gauge says when; the
     * kernel takes ~2 MB first); when it reads again it must get every answer whole and in order, and stay open. On
     * Payara the queued frames go out several in one write ({@code hub.write-coalesce-bytes}), which the server's
     * counter shows; elsewhere each frame is its own write.
     */
    @Test
    void aReaderThatFellBehindGetsEveryQueuedFrameWholeAndInOrder() throws Exception {
        AppServer server = SharedServer.get();
        String token = Api.adminToken(server);
        double coalescedBefore = metric(server, "switchboard_frames_coalesced_total");
        int sent = 0;
        try (RawWebSocket behind = RawWebSocket.open(server.port(), "/api/ws?token=" + token, Map.of(), 2048)) {
            assertEquals(101, behind.handshake().status());
            // each answer is UNKNOWN_TYPE echoing the type: ~170 bytes. 180 per 100 ms stays under the shared server's
            // 2,000/s limit and far below the 1,024-frame queue, so the queue forms without overflowing
            while (metric(server, "switchboard_outbound_queued_frames") < 50) {
                assertTrue(sent < 60_000, "no answer ever waited in the queue after " + sent + " messages");
                for (int i = 0; i < 180; i++, sent++) {
                    behind.sendText("{\"type\":\"seq-" + String.format("%05d", sent) + "-" + "x".repeat(54) + "\"}");
                }
                Thread.sleep(100);
            }
            behind.soTimeout(15_000);
            int next = 0;
            while (next < sent) {
                RawWebSocket.Frame frame = behind.readFrame();
                if (frame.opcode() == 0x9 || frame.opcode() == 0xA) {
                    continue; // the hub's keep-alive pings
                }
                assertEquals(0x1, frame.opcode(), "a text frame (answer " + next + "), not opcode " + frame.opcode());
                String text = frame.text();
                if (!text.contains("seq-")) {
                    continue; // the dialect's own pushes (connected, node.status) come in between
                }
                int at = text.indexOf("seq-");
                assertEquals(String.format("%05d", next), text.substring(at + 4, at + 9), "answers in order: " + text);
                assertTrue(text.contains("UNKNOWN_TYPE"), text);
                next++;
            }
            behind.sendText("{\"type\":\"ping\"}");
            RawWebSocket.Frame pong;
            do {
                pong = behind.readFrame();
            } while (pong.opcode() != 0x1 || !pong.text().contains("\"pong\""));
        }
        double coalesced = metric(server, "switchboard_frames_coalesced_total") - coalescedBefore;
        System.out.println("it.slow-reader answers=" + sent + " coalesced-frames=" + (long) coalesced);
        if (AppServer.kind().equals("payara")) {
            assertTrue(coalesced > 0, "the backlog went out in batched writes on Payara");
        } else {
            assertEquals(0.0, coalesced, "no adapter batches writes here");
        }
    }

    private static double metric(AppServer server, String name) {
        return Api.get(server, "/metrics").body().lines().filter(l -> l.startsWith(name + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** Connections the server closed for an overflowing queue or a write that failed or timed out. */
    /**
     * What a client still sends after the server closed it as a slow consumer must never reach an HTTP request object
     * of the container's again. The server closes it while its write queue is full (the client reads nothing), so the
     * TCP connection stays until that queue drains; the client's frames meanwhile are read by the container. On Payara
     * Grizzly had already recycled the connection's upgrade request for other requests to use, and ran those frames
     * through it: through the servlet filters again ({@code ws.request.redispatched-after-commit} in the log, once per
     * such connection in {@code wip/repro}) or, when an ordinary request had taken that object from the cache, both at
     * once, failing the ordinary one ({@code NullPointerException}s). With {@code switchboard.grizzly.drop-late-reads}
     * (the default) those reads are dropped: the log has no such record, and HTTP requests made meanwhile ({@code /metrics}) all succeed.
     */
    @Test
    void whatAClosedSlowConsumerStillSendsReachesNoRecycledRequest() throws Exception {
        AppServer server = SharedServer.get();
        String token = Api.adminToken(server);
        int logFrom = server.log().length();
        double closedBefore = slowOrFailedCloses(server);
        AtomicBoolean polling = new AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicInteger polled = new java.util.concurrent.atomic.AtomicInteger();
        List<String> failedPolls = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread poller = new Thread(() -> {
            while (polling.get()) {
                try {
                    int status = Api.get(server, "/metrics").status();
                    polled.incrementAndGet();
                    if (status != 200 && failedPolls.size() < 10) {
                        failedPolls.add("status " + status);
                    }
                } catch (RuntimeException e) {
                    if (failedPolls.size() < 10) {
                        failedPolls.add(e.toString());
                    }
                }
            }
        });
        poller.start();
        int stuckClients = 3;
        List<RawWebSocket> stuck = new ArrayList<>();
        try {
            for (int i = 0; i < stuckClients; i++) {
                RawWebSocket ws = RawWebSocket.open(server.port(), "/api/ws?token=" + token, Map.of(), 2048);
                assertEquals(101, ws.handshake().status());
                stuck.add(ws);
            }
            // each answer is an error frame of ~170 bytes; they share the user's 2,000/s limit
            String junk = "{\"type\":\"" + "x".repeat(64) + "\"}";
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            List<RawWebSocket> open = new ArrayList<>(stuck);
            while (!open.isEmpty()) {
                assertTrue(System.nanoTime() < deadline, "the stuck clients were not all closed within 120 s");
                for (java.util.Iterator<RawWebSocket> it = open.iterator(); it.hasNext(); ) {
                    RawWebSocket ws = it.next();
                    try {
                        for (int k = 0; k < 55; k++) {
                            ws.sendText(junk);
                        }
                    } catch (IOException e) {
                        it.remove(); // the server has ended the connection
                    }
                }
                if (slowOrFailedCloses(server) >= closedBefore + stuckClients) {
                    break;
                }
                Thread.sleep(100);
            }
            assertTrue(slowOrFailedCloses(server) >= closedBefore + stuckClients, "every stuck client closed as a slow consumer");
            // the server closed them; now each says something more (its connection is still there: its queue is full)
            int sentAfter = 0;
            for (int round = 0; round < 3; round++) {
                for (RawWebSocket ws : stuck) {
                    try {
                        ws.sendFrame(0x9, new byte[] {1});
                        ws.sendText("{\"type\":\"ping\"}");
                        sentAfter++;
                    } catch (IOException e) {
                        // already gone: nothing more to send on it
                    }
                }
                Thread.sleep(300);
            }
            Thread.sleep(1000);
            String log = server.log().substring(logFrom);
            assertEquals(0, log.split("ws.request.redispatched-after-commit", -1).length - 1,
                    "a closed connection's late frames were run as an HTTP request again (" + sentAfter + " sends after the close)");
            assertTrue(failedPolls.isEmpty(), "HTTP requests failed meanwhile: " + failedPolls);
            System.out.println("it.slow-consumer.late-reads sends-after-close=" + sentAfter + " polls=" + polled.get());
        } finally {
            polling.set(false);
            poller.join(10_000);
            for (RawWebSocket ws : stuck) {
                ws.close();
            }
        }
    }

    private static double slowOrFailedCloses(AppServer server) {
        return Api.get(server, "/metrics").body().lines()
                .filter(l -> l.startsWith("switchboard_slow_consumer_drops_total") || l.startsWith("switchboard_write_failures_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
