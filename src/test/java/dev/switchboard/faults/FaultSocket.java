package dev.switchboard.faults;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fault suite's client: a WebSocket on a bare socket that sends anything (fragments, bad opcodes, unmasked or
 * invalid UTF-8 frames) and reads on a thread of its own, answering pings, so that it never slows the server down
 * unless it is told to stop reading. Unlike the IT clients it records nothing for the AsyncAPI check: fuzz answers
 * echo garbage on purpose.
 */
final class FaultSocket implements AutoCloseable {

    record Frame(int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }
    }

    /** What a read returns once the connection is gone without a close frame. */
    static final Frame EOF = new Frame(-1, new byte[0]);

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    final int status;
    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    final AtomicLong pongs = new AtomicLong();
    final AtomicLong texts = new AtomicLong();
    /** When set (before any message arrives), whole text messages go here instead of the queue. */
    volatile java.util.function.Consumer<Frame> listener;
    /** The close code the server sent (0: none yet, 1006: the socket ended without one). */
    volatile int closeCode;

    private FaultSocket(Socket socket, int status) throws IOException {
        this.socket = socket;
        // buffered: a frame is read field by field (a 1,000-subscriber soak reads tens of thousands a second); the
        // handshake before this was read unbuffered, so nothing of the first frames is left behind in another buffer
        this.in = new DataInputStream(new java.io.BufferedInputStream(socket.getInputStream(), 8192));
        this.out = socket.getOutputStream();
        this.status = status;
    }

    static FaultSocket open(int port, String pathAndQuery) throws IOException {
        return open(port, pathAndQuery, 0, true);
    }

    /** @param receiveBuffer > 0 shrinks the socket's receive window; @param read false: never read after the upgrade */
    static FaultSocket open(int port, String pathAndQuery, int receiveBuffer, boolean read) throws IOException {
        return open(port, pathAndQuery, receiveBuffer, read, null);
    }

    /**
     * With {@code listener} in place before the reader starts: it sees every whole text message from the first one
     * on (the welcome, {@code connected}), for a client that connects while messages are already flowing.
     */
    static FaultSocket open(int port, String pathAndQuery, java.util.function.Consumer<Frame> listener) throws IOException {
        return open(port, pathAndQuery, 0, true, listener);
    }

    private static FaultSocket open(int port, String pathAndQuery, int receiveBuffer, boolean read,
                                    java.util.function.Consumer<Frame> listener) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(60_000);
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        String request = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                + Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        DataInputStream in = new DataInputStream(socket.getInputStream());
        String statusLine = line(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        while (!line(in).isEmpty()) {
            // headers
        }
        FaultSocket ws = new FaultSocket(socket, status);
        if (status != 101) {
            socket.close();
            throw new IOException("handshake refused: " + statusLine);
        }
        socket.setSoTimeout(0);
        ws.listener = listener;
        if (read) {
            Thread reader = new Thread(ws::readLoop, "fault-reader");
            reader.setDaemon(true);
            reader.start();
        }
        return ws;
    }

    private static String line(DataInputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c == -1) {
                throw new EOFException("handshake cut off");
            }
            if (c != '\r') {
                line.write(c);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    /** For a socket opened without reading: read now until the close frame or the end, within {@code millis}. */
    int drainToClose(long millis) {
        try {
            socket.setSoTimeout((int) millis);
        } catch (IOException e) {
            return 1006;
        }
        readLoop();
        return closeCode == 0 ? -1 : closeCode;
    }

    private void readLoop() {
        ByteArrayOutputStream message = null;
        int messageOpcode = 0;
        try {
            while (true) {
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
                int opcode = b0 & 0x0f;
                boolean fin = (b0 & 0x80) != 0;
                if (opcode == 0x9) {
                    send(0xA, payload);
                    continue;
                }
                if (opcode == 0xA) {
                    pongs.incrementAndGet();
                    continue;
                }
                if (opcode == 0x8) {
                    closeCode = new Frame(8, payload).closeCode();
                    frames.add(new Frame(8, payload));
                    try {
                        send(0x8, payload.length >= 2 ? new byte[] {payload[0], payload[1]} : new byte[0]);
                    } catch (IOException e) {
                        // gone already
                    }
                    socket.close();
                    return;
                }
                if (opcode != 0) {
                    messageOpcode = opcode;
                    message = new ByteArrayOutputStream();
                }
                if (message != null) {
                    message.writeBytes(payload);
                }
                if (fin && message != null) {
                    if (messageOpcode == 1) {
                        texts.incrementAndGet();
                    }
                    Frame whole = new Frame(messageOpcode, message.toByteArray());
                    var l = listener;
                    if (l != null && messageOpcode == 1) {
                        l.accept(whole);
                    } else {
                        frames.add(whole);
                    }
                    message = null;
                }
            }
        } catch (java.net.SocketTimeoutException e) {
            frames.add(EOF); // only drainToClose sets a timeout: not closed within it
        } catch (IOException e) {
            if (closeCode == 0) {
                closeCode = 1006;
            }
            frames.add(EOF);
        }
    }

    /** The next whole message (or close frame, or {@link #EOF}), null after {@code millis}. */
    Frame next(long millis) throws InterruptedException {
        Frame f = frames.poll(millis, TimeUnit.MILLISECONDS);
        if (f == EOF || (f != null && f.opcode() == 8)) {
            frames.add(f); // stays the answer to every later read
        }
        return f;
    }

    boolean closed() {
        return closeCode != 0;
    }

    void sendText(String text) throws IOException {
        send(0x1, text.getBytes(StandardCharsets.UTF_8));
    }

    void send(int opcode, byte[] payload) throws IOException {
        sendRaw(frame(true, opcode, payload, true, 0));
    }

    synchronized void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** A WebSocket ping; the pong is counted in {@link #pongs}. @return whether a pong came within {@code millis} */
    boolean ping(long millis) throws IOException, InterruptedException {
        long before = pongs.get();
        send(0x9, "fz".getBytes(StandardCharsets.US_ASCII));
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (pongs.get() == before && System.nanoTime() < deadline && !closed()) {
            Thread.sleep(5);
        }
        return pongs.get() > before;
    }

    /** One client frame: {@code fin}, any opcode, masked or not, {@code rsv} (0-7) in the reserved bits. */
    static byte[] frame(boolean fin, int opcode, byte[] payload, boolean masked, int rsv) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write((fin ? 0x80 : 0) | (rsv & 7) << 4 | opcode);
        int mask = masked ? 0x80 : 0;
        if (payload.length < 126) {
            frame.write(mask | payload.length);
        } else if (payload.length < 65536) {
            frame.write(mask | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length);
        } else {
            frame.write(mask | 127);
            for (int i = 7; i >= 0; i--) {
                frame.write((int) ((long) payload.length >>> (8 * i)));
            }
        }
        if (!masked) {
            frame.writeBytes(payload);
            return frame.toByteArray();
        }
        byte[] key = new byte[4];
        ThreadLocalRandom.current().nextBytes(key);
        frame.writeBytes(key);
        byte[] masked2 = new byte[payload.length];
        for (int i = 0; i < payload.length; i++) {
            masked2[i] = (byte) (payload[i] ^ key[i & 3]);
        }
        frame.writeBytes(masked2);
        return frame.toByteArray();
    }

    @Override
    public void close() {
        try {
            if (!socket.isClosed() && closeCode == 0) {
                sendRaw(frame(true, 0x8, new byte[] {0x03, (byte) 0xe8}, true, 0));
            }
        } catch (IOException e) {
            // gone already
        }
        try {
            socket.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
