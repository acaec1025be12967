package dev.switchboard.common;


import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who is on the other end of a handshake, for the connection limits. The peer of the TCP connection, unless that
 * peer is a proxy listed in {@code switchboard.trusted-proxies} (addresses or CIDR ranges): then the
 * {@code X-Forwarded-For} chain is read from the right, skipping trusted proxies, and the first other hop is the
 * client. Anyone can write an {@code X-Forwarded-For} header; only a proxy we trust appended the hop we take.
 */
@ApplicationScoped
public class ClientAddresses {

    /**
     * @param address the client's address, for logs
     * @param key     what the per-address limits count: an IPv4 address, or an IPv6 address's /64 prefix (one
     *                subscriber usually holds a whole /64, so counting single IPv6 addresses would bound nothing)
     * @param loopback whether the client is this host
     */
    public record Client(String address, String key, boolean loopback) {
    }

    /**
     * An IP literal: getByName must never be handed anything else, which it would resolve through DNS (a dotted
     * quad exactly; anything with a colon is parsed as IPv6 and never looked up).
     */
    private static final Pattern LITERAL = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1?\\d?\\d)|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    @Inject
    @ConfigProperty(name = "switchboard.trusted-proxies")
    Optional<String> trustedProxies;

    private List<Range> trusted = List.of();

    /** For tests and code outside CDI: a resolver that trusts exactly these proxies. */
    public static ClientAddresses trusting(Optional<String> proxies) {
        ClientAddresses c = new ClientAddresses();
        c.trustedProxies = proxies;
        c.parse();
        return c;
    }

    @PostConstruct
    void parse() {
        trusted = ranges(ConfigLists.split(trustedProxies));
    }

    static List<Range> ranges(List<String> entries) {
        List<Range> out = new ArrayList<>();
        for (String entry : entries) {
            Range r = Range.parse(entry);
            if (r == null) {
                throw new IllegalStateException("switchboard.trusted-proxies: '" + entry
                        + "' is not an IP address or CIDR range (host names are not accepted)");
            }
            out.add(r);
        }
        return Collections.unmodifiableList(out);
    }

    public Client of(HttpServletRequest request) {
        return resolve(request.getRemoteAddr(), request.getHeaders("X-Forwarded-For"));
    }

    Client resolve(String peer, java.util.Enumeration<String> forwardedHeaders) {
        InetAddress client = literal(peer);
        if (client == null) {
            return new Client(String.valueOf(peer), String.valueOf(peer), false);
        }
        if (isTrusted(client) && forwardedHeaders != null) {
            List<String> hops = new ArrayList<>();
            while (forwardedHeaders.hasMoreElements()) {
                for (String hop : forwardedHeaders.nextElement().split(",")) {
                    hops.add(hop.trim());
                }
            }
            for (int i = hops.size() - 1; i >= 0; i--) {
                InetAddress hop = literal(stripPort(hops.get(i)));
                if (hop == null) {
                    break; // garbage (or "unknown"): the last trusted hop is all we know
                }
                client = hop;
                if (!isTrusted(hop)) {
                    break;
                }
            }
        }
        return new Client(client.getHostAddress(), key(client), client.isLoopbackAddress());
    }

    private boolean isTrusted(InetAddress address) {
        for (Range r : trusted) {
            if (r.contains(address)) {
                return true;
            }
        }
        return false;
    }

    static String key(InetAddress address) {
        if (address instanceof Inet6Address && !address.isLoopbackAddress()) {
            byte[] b = address.getAddress();
            return String.format("%02x%02x:%02x%02x:%02x%02x:%02x%02x::/64", b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]);
        }
        return address.getHostAddress();
    }

    /** {@code 1.2.3.4:5678} and {@code [2001:db8::1]:443}, as some proxies write them, without the port. */
    static String stripPort(String hop) {
        if (hop.startsWith("[")) {
            int end = hop.indexOf(']');
            return end > 0 ? hop.substring(1, end) : hop;
        }
        int colon = hop.indexOf(':');
        return colon > 0 && colon == hop.lastIndexOf(':') ? hop.substring(0, colon) : hop;
    }

    /** The address of an IP literal (IPv4-mapped IPv6 comes back as IPv4), or null when it is not one. */
    static InetAddress literal(String text) {
        if (text == null || text.isEmpty() || text.length() > 45) {
            return null;
        }
        String plain = text.indexOf('%') > 0 ? text.substring(0, text.indexOf('%')) : text;
        if (!LITERAL.matcher(plain).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(plain);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** An address or a CIDR range. */
    record Range(byte[] network, int prefixBits) {

        static Range parse(String text) {
            int slash = text.indexOf('/');
            InetAddress address = literal(slash < 0 ? text : text.substring(0, slash));
            if (address == null) {
                return null;
            }
            int max = address.getAddress().length * 8;
            int bits = max;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(text.substring(slash + 1));
                } catch (NumberFormatException e) {
                    return null;
                }
                if (bits < 0 || bits > max) {
                    return null;
                }
            }
            return new Range(address.getAddress(), bits);
        }

        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != network.length) {
                return false;
            }
            int full = prefixBits / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefixBits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest);
            return (a[full] & mask) == (network[full] & mask);
        }
    }
}
