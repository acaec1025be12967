package dev.switchboard.workflow.control;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The attach connection against a scripted peer on a loopback socket: what it sends, how it reads. */
class ContainerAttachTest {

    private final ServerSocket server = listen();

    private static ServerSocket listen() {
        try {
            return new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void close() throws IOException {
        server.close();
    }

    private URI host() {
        return URI.create("tcp://127.0.0.1:" + server.getLocalPort());
    }

    /** Accepts one connection, reads the request head, answers {@code answer}, then runs {@code then}. */
    private CompletableFuture<String> peer(String answer, Peer then) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket s = server.accept()) {
                // a client that never ends its input makes this peer give up, and the test fail, instead of hanging
                s.setSoTimeout(5000);
                InputStream in = s.getInputStream();
                ByteArrayOutputStream head = new ByteArrayOutputStream();
                while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                    head.write(in.read());
                }
                s.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
                then.run(in, s.getOutputStream());
                return head.toString(StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private interface Peer {
        void run(InputStream in, OutputStream out) throws IOException;
    }

    private static byte[] frame(int stream, String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + payload.length).put((byte) stream).put(new byte[3]).putInt(payload.length).put(payload).array();
    }

    @Test
    void stdinEndsWithAHalfCloseAndTheOutputKeepsFlowingAfterIt() throws Exception {
        CompletableFuture<String> request = peer("HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n", (in, out) -> {
            // reads to the end of STDIN first: without the half-close this would never return
            String input = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            out.write(frame(1, input.toUpperCase()));
            out.write(frame(2, "note\n"));
            out.write(frame(1, "!"));
        });
        try (ContainerAttach attach = ContainerAttach.open(host(), null, "abc123", Duration.ofSeconds(5))) {
            attach.sendStdin(new ByteArrayInputStream("piped input".getBytes(StandardCharsets.UTF_8)));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            attach.copyOutput(out, err);
            assertEquals("PIPED INPUT!", out.toString(StandardCharsets.UTF_8));
            assertEquals("note\n", err.toString(StandardCharsets.UTF_8));
        }
        String head = request.get(5, TimeUnit.SECONDS);
        assertTrue(head.startsWith("POST /containers/abc123/attach?stream=1&stdin=1&stdout=1&stderr=1 HTTP/1.1\r\n"), head);
        assertTrue(head.contains("\r\nUpgrade: tcp\r\n") && head.contains("\r\nConnection: Upgrade\r\n"), head);
        assertTrue(head.contains("\r\nHost: 127.0.0.1:" + server.getLocalPort() + "\r\n"), head);
    }

    @Test
    void aRefusalCarriesTheEnginesMessage() {
        String body = "{\"message\":\"No such container: abc123\"}";
        peer("HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body,
                (in, out) -> { });
        IOException e = assertThrows(IOException.class, () -> ContainerAttach.open(host(), null, "abc123", Duration.ofSeconds(5)));
        assertEquals("attach refused: HTTP 404 No such container: abc123", e.getMessage());
    }

    @Test
    void aStreamThatIsNotMultiplexedIsAllOutput() throws Exception {
        peer("HTTP/1.1 101 UPGRADED\r\n\r\n", (in, out) -> out.write("plain tty text".getBytes(StandardCharsets.UTF_8)));
        try (ContainerAttach attach = ContainerAttach.open(host(), null, "abc123", Duration.ofSeconds(5))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            attach.copyOutput(out, new ByteArrayOutputStream());
            assertEquals("plain tty text", out.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aClosedPortFailsToConnect() throws IOException {
        URI closed = host();
        server.close();
        assertThrows(IOException.class, () -> ContainerAttach.open(closed, null, "abc123", Duration.ofSeconds(5)));
    }

    @Test
    void anAnswerThatIsNotHttpIsRefused() {
        assertThrows(IOException.class, () -> ContainerAttach.status("SSH-2.0-OpenSSH\r\n\r\n"));
        assertThrows(IOException.class, () -> ContainerAttach.status("HTTP/1.1 abc\r\n\r\n"));
    }
}
