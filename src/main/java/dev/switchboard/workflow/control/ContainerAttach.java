package dev.switchboard.workflow.control;

import dev.switchboard.service.control.DockerEngine;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * The one Engine call that is not made through docker-java: {@code POST /containers/{id}/attach} with STDIN,
 * STDOUT and STDERR on one upgraded connection, as {@code docker run -i} does it. The released docker-java
 * transports never half-close the hijacked connection when the STDIN they are given ends (docker-java issues
 * 1448 and 1315; the fix, pull request 1567, was never merged), so a container reading its STDIN to the end, like
 * {@code tr} or {@code cat}, would wait forever. Here, after the last byte of input, the connection's write side is
 * shut down ({@code CloseWrite} in the Docker CLI): the Engine closes the container's STDIN (it is created with
 * {@code StdinOnce}), and the output keeps flowing back until the container exits.
 *
 * <p>Supports {@code tcp://} (TLS when docker-java's configuration has an SSL context: a JDK {@link SSLSocket}
 * half-closes with {@code close_notify}) and {@code unix://} hosts.
 */
final class ContainerAttach implements Closeable {

    private static final int MAX_HEAD = 16 * 1024;

    private final InputStream in;
    private final OutputStream out;
    private final Closeable halfClose;
    private final Closeable close;

    private ContainerAttach(InputStream in, OutputStream out, Closeable halfClose, Closeable close) {
        this.in = in;
        this.out = out;
        this.halfClose = halfClose;
        this.close = close;
    }

    /** Connects and upgrades; returns once the Engine has answered 101, so nothing the container writes is missed. */
    static ContainerAttach open(URI host, SSLContext tls, String containerId, Duration connectTimeout) throws IOException {
        ContainerAttach a = connect(host, tls, connectTimeout);
        try {
            String authority = "unix".equals(host.getScheme()) ? "docker" : host.getHost() + ":" + host.getPort();
            String request = "POST /containers/" + containerId + "/attach?stream=1&stdin=1&stdout=1&stderr=1 HTTP/1.1\r\n"
                    + "Host: " + authority + "\r\n"
                    + "User-Agent: switchboard\r\n"
                    + "Content-Type: text/plain\r\n"
                    + "Content-Length: 0\r\n"
                    + "Connection: Upgrade\r\n"
                    + "Upgrade: tcp\r\n\r\n";
            a.out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            a.out.flush();
            String head = a.readHead();
            int status = status(head);
            // 101 from any Engine that honours Upgrade; a very old one answers 200 and streams all the same
            if (status != 101 && status != 200) {
                throw new IOException("attach refused: HTTP " + status + " " + a.readBody(head));
            }
            return a;
        } catch (IOException | RuntimeException e) {
            a.close();
            throw e;
        }
    }

    private static ContainerAttach connect(URI host, SSLContext tls, Duration connectTimeout) throws IOException {
        String scheme = host.getScheme() == null ? "" : host.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("unix")) {
            SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(host.getPath()));
            // the channel itself: Channels' stream adapters share one lock between a blocked read and a write
            InputStream in = new InputStream() {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return len == 0 ? 0 : channel.read(ByteBuffer.wrap(b, off, len));
                }
            };
            OutputStream out = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[]{(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                }
            };
            return new ContainerAttach(in, out, channel::shutdownOutput, channel);
        }
        if (!scheme.equals("tcp") && !scheme.equals("http") && !scheme.equals("https")) {
            throw new IOException("unsupported Docker host scheme: " + host);
        }
        Socket socket = tls != null ? tls.getSocketFactory().createSocket() : new Socket();
        try {
            socket.connect(new InetSocketAddress(host.getHost(), host.getPort()), (int) connectTimeout.toMillis());
            if (socket instanceof SSLSocket ssl) {
                SSLParameters parameters = ssl.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                ssl.setSSLParameters(parameters);
                ssl.startHandshake();
            }
            return new ContainerAttach(socket.getInputStream(), socket.getOutputStream(), socket::shutdownOutput, socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Writes all of {@code stdin}, then shuts the write side: the container reads end of input. */
    void sendStdin(InputStream stdin) throws IOException {
        stdin.transferTo(out);
        out.flush();
        halfClose.close();
    }

    /**
     * Demultiplexes the output until the Engine ends the stream (the container exited or was stopped): each frame is
     * {@code [stream, 0, 0, 0, size as 4 bytes big-endian]} then the payload; stream 1 is STDOUT, 2 STDERR.
     */
    void copyOutput(OutputStream stdout, OutputStream stderr) throws IOException {
        byte[] header = new byte[8];
        while (true) {
            int got = in.readNBytes(header, 0, 8);
            if (got == 0) {
                return;
            }
            if (got < 8 || header[0] > 2 || header[1] != 0 || header[2] != 0 || header[3] != 0) {
                // not multiplexed (a TTY would do this): all of it is output
                stdout.write(header, 0, got);
                in.transferTo(stdout);
                return;
            }
            long size = ByteBuffer.wrap(header, 4, 4).getInt() & 0xffffffffL;
            OutputStream target = header[0] == 2 ? stderr : stdout;
            byte[] buffer = new byte[8192];
            while (size > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, size));
                if (n < 0) {
                    return;
                }
                target.write(buffer, 0, n);
                size -= n;
            }
        }
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("the Engine closed the connection before answering the attach");
            }
            head.write(c);
            matched = (c == '\r' && (matched == 0 || matched == 2)) || (c == '\n' && (matched == 1 || matched == 3)) ? matched + 1
                    : c == '\r' ? 1 : 0;
            if (head.size() > MAX_HEAD) {
                throw new IOException("the Engine's answer to the attach has no end of headers");
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** The error body the Engine sent with a refusal (its JSON carries the message), at most a few KiB. */
    private String readBody(String head) {
        int length = 4096;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                try {
                    length = Math.min(length, Integer.parseInt(line.substring(15).strip()));
                } catch (NumberFormatException ignored) {
                    // keep the bound
                }
            }
        }
        try {
            return DockerEngine.engineMessage(new String(in.readNBytes(length), StandardCharsets.UTF_8)).strip();
        } catch (IOException e) {
            return "";
        }
    }

    static int status(String head) throws IOException {
        String[] first = head.split("\r\n", 2)[0].split(" ", 3);
        if (first.length < 2 || !first[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP answer to the attach: " + first[0]);
        }
        try {
            return Integer.parseInt(first[1]);
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP status: " + first[1]);
        }
    }

    @Override
    public void close() throws IOException {
        close.close();
    }
}
