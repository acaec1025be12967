package dev.switchboard.it;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a bare socket, for what a polite client library will not do: read the body of a refused
 * handshake, ignore pings, or stop reading altogether.
 */
public final class RawWebSocket implements AutoCloseable {

    /** The server's answer to the upgrade request. */
    public record Handshake(int status, Map<String, String> headers, String body) {
    }

    /** One frame from the server. */
    public record Frame(int opcode, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private Handshake handshake;
    /** For {@link ReceivedFrames}: the dialect's path and the test that connected. */
    private String path;
    private String test;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Opens a socket and sends the upgrade request; {@code receiveBuffer} > 0 shrinks the socket's receive window. */
    public static RawWebSocket open(int port, String pathAndQuery, Map<String, String> headers, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(15000);
        RawWebSocket ws = new RawWebSocket(socket);
        ws.path = pathAndQuery.split("[?#]", 2)[0];
        ws.test = ReceivedFrames.caller();
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        StringBuilder request = new StringBuilder()
                .append("GET ").append(pathAndQuery).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\n")
                .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: ").append(Base64.getEncoder().encodeToString(key)).append("\r\n")
                .append("Sec-WebSocket-Version: 13\r\n");
        headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
        request.append("\r\n");
        ws.out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
        ws.out.flush();
        ws.handshake = ws.readHandshake();
        return ws;
    }

    public static Handshake handshake(int port, String pathAndQuery, Map<String, String> headers) throws IOException {
        try (RawWebSocket ws = open(port, pathAndQuery, headers, 0)) {
            return ws.handshake;
        }
    }

    public Handshake handshake() {
        return handshake;
    }

    private Handshake readHandshake() throws IOException {
        String status = readLine();
        int code = Integer.parseInt(status.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(), line.substring(colon + 1).trim());
        }
        String body = "";
        if (code != 101) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                // Liberty streams a refusal's body in chunks where Payara and WildFly give its length
                for (int size = Integer.parseInt(readLine().trim(), 16); size > 0; size = Integer.parseInt(readLine().trim(), 16)) {
                    b.write(in.readNBytes(size));
                    readLine();
                }
            } else {
                b.write(in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0"))));
            }
            body = b.toString(StandardCharsets.UTF_8);
        }
        return new Handshake(code, headers, body);
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                break;
            }
            if (c != '\r') {
                line.write(c);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    /** One frame from the server with its whole first byte: FIN, the three RSV bits (RSV1 = 0x40) and the opcode. */
    public record Bits(int first, byte[] payload) {
        public boolean rsv1() {
            return (first & 0x40) != 0;
        }

        public int opcode() {
            return first & 0x0f;
        }
    }

    public Frame readFrame() throws IOException {
        Bits b = readBits();
        return new Frame(b.opcode(), b.payload());
    }

    public Bits readBits() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long length = b1 & 0x7f;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        if (b0 == 0x81) { // a whole text frame (FIN, opcode 1)
            ReceivedFrames.record(path, test, new String(payload, StandardCharsets.UTF_8));
        }
        return new Bits(b0, payload);
    }

    public void sendText(String text) throws IOException {
        sendFrame(0x1, text.getBytes(StandardCharsets.UTF_8));
    }

    public synchronized void sendFrame(int opcode, byte[] payload) throws IOException {
        sendRaw(frame(opcode, payload));
    }

    /** Writes bytes as they are (a frame made by {@link #frame}, part of one, or a malformed one). */
    public synchronized void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** A final, masked client frame with a random key. */
    public static byte[] frame(int opcode, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write(0x80 | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length);
        } else {
            frame.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) {
                frame.write((int) ((long) payload.length >>> (8 * i)));
            }
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        frame.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        return frame.toByteArray();
    }

    public void noDelay() throws IOException {
        socket.setTcpNoDelay(true);
    }

    public InputStream input() {
        return in;
    }

    public void soTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** Reads a flooded connection in the background: answers pings, counts answers, completes on the limit frame. */
    public static final class FloodWatch {
        public final java.util.concurrent.atomic.AtomicInteger answers = new java.util.concurrent.atomic.AtomicInteger();
        public final java.util.concurrent.CompletableFuture<String> limited = new java.util.concurrent.CompletableFuture<>();

        /** Waits (bounded) until one more answer than {@code before} arrived; @return whether it did */
        public boolean answeredAfter(int before, long timeoutMillis) {
            long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
            while (answers.get() == before && System.nanoTime() < deadline) {
                AppServer.sleep(20);
            }
            return answers.get() > before;
        }
    }

    /** @param answer text in a frame that answers one flood message; @param limit text in the rate-limit frame */
    public FloodWatch watchFlood(String answer, String limit) {
        FloodWatch watch = new FloodWatch();
        Thread reader = new Thread(() -> {
            try {
                while (true) {
                    Frame f = readFrame();
                    if (f.opcode() == 0x8) {
                        watch.limited.completeExceptionally(new AssertionError("closed: " + f.closeCode()));
                        return;
                    }
                    if (f.opcode() == 0x9) {
                        sendFrame(0xA, f.payload());
                        continue;
                    }
                    String text = f.text();
                    if (text.contains(answer)) {
                        watch.answers.incrementAndGet();
                    } else if (text.contains(limit)) {
                        watch.limited.complete(text);
                    }
                }
            } catch (IOException e) {
                watch.limited.completeExceptionally(e);
            }
        });
        reader.setDaemon(true);
        reader.start();
        return watch;
    }
}
