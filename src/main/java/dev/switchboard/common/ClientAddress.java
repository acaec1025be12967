package dev.switchboard.common;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The address a request really comes from, for limits per client: the socket peer, or, only when that peer is
 * one of {@code switchboard.trusted-proxies} (exact IP addresses), what {@code X-Forwarded-For} says. The header
 * is read from the right: the first address that is not itself a trusted proxy is the client, because everything
 * left of it was written by whoever the last untrusted hop was and can be forged at will.
 */
@ApplicationScoped
public class ClientAddress {

    public static final String FORWARDED_FOR = "X-Forwarded-For";

    private final Set<String> trustedProxies;

    @Inject
    public ClientAddress(@ConfigProperty(name = "switchboard.trusted-proxies") Optional<String> trustedProxies) {
        Set<String> trusted = new LinkedHashSet<>();
        for (String entry : ConfigLists.split(trustedProxies)) {
            String normalized = normalize(entry);
            if (normalized == null) {
                throw new IllegalStateException("switchboard.trusted-proxies: not an IP address: " + entry);
            }
            trusted.add(normalized);
        }
        this.trustedProxies = Set.copyOf(trusted);
    }

    /** CDI's proxy constructor; never used for a real instance. */
    protected ClientAddress() {
        this.trustedProxies = Set.of();
    }

    public String of(HttpServletRequest request) {
        Enumeration<String> headers = request.getHeaders(FORWARDED_FOR);
        List<String> forwarded = headers == null ? List.of() : Collections.list(headers);
        return resolve(request.getRemoteAddr(), forwarded);
    }

    /**
     * @param peer      the socket peer's address
     * @param forwarded every {@code X-Forwarded-For} header of the request, in order (each a comma list)
     */
    public String resolve(String peer, List<String> forwarded) {
        String client = normalize(peer);
        if (client == null) {
            return peer == null ? "unknown" : peer;
        }
        if (!trustedProxies.contains(client) || forwarded.isEmpty()) {
            return client;
        }
        List<String> hops = new ArrayList<>();
        for (String header : forwarded) {
            for (String hop : header.split(",")) {
                hops.add(hop.trim());
            }
        }
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = normalize(stripPort(hops.get(i)));
            if (hop == null) {
                // garbage where an address should be: nothing left of it can be trusted either
                return client;
            }
            client = hop;
            if (!trustedProxies.contains(hop)) {
                return hop;
            }
        }
        return client;
    }

    /** The canonical text of an IP literal ({@code ::1} and {@code 0:0:0:0:0:0:0:1} are one address), or null. */
    static String normalize(String text) {
        if (text == null) {
            return null;
        }
        String s = text.trim();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        int zone = s.indexOf('%');
        if (zone >= 0) {
            s = s.substring(0, zone);
        }
        try {
            if (s.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
                // built from its bytes: InetAddress.getByName would ask DNS for anything it does not parse itself
                byte[] octets = new byte[4];
                String[] parts = s.split("\\.");
                for (int i = 0; i < 4; i++) {
                    int octet = Integer.parseInt(parts[i]);
                    if (octet > 255) {
                        return null;
                    }
                    octets[i] = (byte) octet;
                }
                return InetAddress.getByAddress(octets).getHostAddress();
            }
            if (s.indexOf(':') >= 0 && s.matches("[0-9A-Fa-f:.]+")) {
                // in brackets an invalid IPv6 literal is an error, never a host name to look up
                return InetAddress.getByName("[" + s + "]").getHostAddress();
            }
            return null;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** {@code 203.0.113.7:4711} and {@code [2001:db8::1]:4711}, as some proxies write them. */
    private static String stripPort(String hop) {
        if (hop.startsWith("[")) {
            int end = hop.indexOf(']');
            return end < 0 ? hop : hop.substring(0, end + 1);
        }
        int colon = hop.indexOf(':');
        if (colon > 0 && colon == hop.lastIndexOf(':')) {
            return hop.substring(0, colon);
        }
        return hop;
    }
}
