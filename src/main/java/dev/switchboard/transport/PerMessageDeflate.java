package dev.switchboard.transport;

import jakarta.websocket.Extension;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The server's side of negotiating permessage-deflate (RFC 7692, section 7.1), without any container: which of the
 * client's offers is accepted and with what answer. The first acceptable offer wins; the answer always carries
 * {@code server_no_context_takeover} (section 7.1.1.1 lets a server add it), so every message the server compresses
 * is a deflate stream of its own and the same compressed bytes can go to every connection of a broadcast.
 *
 * <p>An offer is declined (the next one is tried; none left: the answer has no extension) when it has a parameter the
 * RFC does not define, a parameter twice, a value where none is allowed or a value that is not 8 to 15, or when it
 * asks for {@code server_max_window_bits} below 15: {@link java.util.zip.Deflater} always uses a 32 KiB window
 * (15 bits), and output made with it may refer back further than a smaller window the client keeps. A
 * {@code server_max_window_bits=15} is answered with the same value (section 7.1.2.1 requires the parameter back).
 * {@code client_max_window_bits} is only a hint that the client could use a smaller window; it is not answered, so
 * the client uses up to 15 bits, which {@link java.util.zip.Inflater} always reads. The answer always carries
 * {@code client_no_context_takeover} too, offered or not (section 7.1.1.2 lets a server add it): the client then
 * starts every message afresh, and the server keeps no inflater (a 32 KiB window and more, native) between a
 * connection's messages; browsers offer context takeover, and holding a window per connection that ever sent a
 * compressed message would cost more than the idle connection itself.</p>
 */
public final class PerMessageDeflate {

    public static final String NAME = "permessage-deflate";
    static final String SERVER_NO_CONTEXT_TAKEOVER = "server_no_context_takeover";
    static final String CLIENT_NO_CONTEXT_TAKEOVER = "client_no_context_takeover";
    static final String SERVER_MAX_WINDOW_BITS = "server_max_window_bits";
    static final String CLIENT_MAX_WINDOW_BITS = "client_max_window_bits";

    /**
     * The compression settings: {@code websocket.compression.enabled} and {@code websocket.compression.min-bytes}
     * (messages whose UTF-8 text is shorter go out uncompressed, which is valid under the extension, per message).
     */
    public record Settings(boolean enabled, int minBytes) {
        public static final Settings OFF = new Settings(false, Integer.MAX_VALUE);
    }

    /**
     * An accepted offer: the parameters of the answer, and whether the client keeps no context between its messages
     * (always, now: see above; kept so that the inflating side does not assume it).
     */
    public record Accepted(List<Extension.Parameter> response, boolean clientNoContextTakeover) {

        /** The answer as it appears in {@code Sec-WebSocket-Extensions}. */
        public String header() {
            StringBuilder b = new StringBuilder(NAME);
            for (Extension.Parameter p : response) {
                b.append("; ").append(p.getName());
                if (p.getValue() != null) {
                    b.append('=').append(p.getValue());
                }
            }
            return b.toString();
        }
    }

    /** The two answers there are: both no-context-takeover parameters, and server_max_window_bits=15 when asked. */
    private static final Accepted PLAIN = new Accepted(List.of(new Parameter(SERVER_NO_CONTEXT_TAKEOVER, null),
            new Parameter(CLIENT_NO_CONTEXT_TAKEOVER, null)), true);
    private static final Accepted WITH_WINDOW = new Accepted(List.of(new Parameter(SERVER_NO_CONTEXT_TAKEOVER, null),
            new Parameter(CLIENT_NO_CONTEXT_TAKEOVER, null), new Parameter(SERVER_MAX_WINDOW_BITS, "15")), true);

    private PerMessageDeflate() {
    }

    /** The first acceptable permessage-deflate offer among the client's extensions, or empty. */
    public static Optional<Accepted> negotiate(List<Extension> requested) {
        if (requested == null) {
            return Optional.empty();
        }
        for (Extension offer : requested) {
            if (offer != null && NAME.equals(offer.getName())) {
                Optional<Accepted> accepted = accept(offer.getParameters());
                if (accepted.isPresent()) {
                    return accepted;
                }
            }
        }
        return Optional.empty();
    }

    /** The answer to one offer, or empty when it cannot be honoured. */
    static Optional<Accepted> accept(List<Extension.Parameter> parameters) {
        Set<String> seen = new HashSet<>();
        boolean serverWindow15 = false;
        for (Extension.Parameter p : parameters == null ? List.<Extension.Parameter>of() : parameters) {
            String name = p.getName();
            String value = unquote(p.getValue());
            if (name == null || !seen.add(name)) {
                return Optional.empty();
            }
            switch (name) {
                case SERVER_NO_CONTEXT_TAKEOVER -> {
                    if (value != null) {
                        return Optional.empty();
                    }
                }
                case CLIENT_NO_CONTEXT_TAKEOVER -> {
                    if (value != null) {
                        return Optional.empty();
                    }
                }
                case SERVER_MAX_WINDOW_BITS -> {
                    int bits = windowBits(value);
                    if (bits != 15) {
                        return Optional.empty(); // absent, malformed, out of range, or a window Deflater cannot keep to
                    }
                    serverWindow15 = true;
                }
                case CLIENT_MAX_WINDOW_BITS -> {
                    if (value != null && windowBits(value) < 0) {
                        return Optional.empty();
                    }
                }
                default -> {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(serverWindow15 ? WITH_WINDOW : PLAIN);
    }

    /** 8 to 15 written without leading zeros (RFC 7692 section 7.1.2), else -1 (also for no value). */
    private static int windowBits(String value) {
        if (value == null || value.isEmpty() || value.length() > 2 || value.charAt(0) == '0') {
            return -1;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return -1;
            }
        }
        int bits = Integer.parseInt(value);
        return bits >= 8 && bits <= 15 ? bits : -1;
    }

    /** A value may be a quoted string (RFC 7692 section 7.1: it must then still be a token once unquoted). */
    private static String unquote(String value) {
        if (value != null && value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    /** One parameter of an answer. */
    public record Parameter(String name, String value) implements Extension.Parameter {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public String getValue() {
            return value;
        }
    }
}
