package dev.switchboard.common;

import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientAddressesTest {

    private static ClientAddresses trusting(String proxies) {
        ClientAddresses c = new ClientAddresses();
        c.trustedProxies = Optional.ofNullable(proxies);
        c.parse();
        return c;
    }

    private static ClientAddresses.Client resolve(ClientAddresses c, String peer, String... forwarded) {
        return c.resolve(peer, Collections.enumeration(List.of(forwarded)));
    }

    @Test
    void withoutTrustedProxiesTheForwardedHeaderIsIgnored() {
        ClientAddresses c = trusting(null);
        assertEquals("127.0.0.1", resolve(c, "127.0.0.1", "203.0.113.9").address());
        assertTrue(resolve(c, "127.0.0.1", "203.0.113.9").loopback());
    }

    @Test
    void aTrustedProxysLastUntrustedHopIsTheClient() {
        ClientAddresses c = trusting("127.0.0.1, 10.0.0.0/8");
        // the client wrote a fake first hop; the proxies appended the real one and themselves
        ClientAddresses.Client client = resolve(c, "127.0.0.1", "192.0.2.66, 203.0.113.9", "10.1.2.3");
        assertEquals("203.0.113.9", client.address());
        assertFalse(client.loopback());
        assertEquals("203.0.113.9", resolve(c, "10.9.9.9", "203.0.113.9:4711").address(), "a port is dropped");
        assertEquals("192.0.2.1", resolve(c, "192.0.2.1", "203.0.113.9").address(),
                "an untrusted peer is the client whatever it forwards");
    }

    @Test
    void garbageInTheChainStopsAtTheLastTrustedHop() {
        ClientAddresses c = trusting("127.0.0.1");
        assertEquals("127.0.0.1", resolve(c, "127.0.0.1", "unknown").address());
        assertEquals("127.0.0.1", resolve(c, "127.0.0.1", "evil.example.com").address(), "never resolved by DNS");
        assertEquals("127.0.0.1", resolve(c, "127.0.0.1").address());
    }

    @Test
    void ipv6ClientsAreCountedByTheirSlash64() {
        ClientAddresses c = trusting("::1");
        ClientAddresses.Client one = resolve(c, "0:0:0:0:0:0:0:1", "[2001:db8:1:2::10]:443");
        ClientAddresses.Client two = resolve(c, "::1", "2001:db8:1:2:ffff::1");
        assertEquals("2001:0db8:0001:0002::/64", one.key());
        assertEquals(one.key(), two.key());
        assertEquals("192.0.2.5", resolve(c, "::ffff:192.0.2.5").key(), "IPv4-mapped is IPv4");
    }

    @Test
    void rangesMatchByPrefix() {
        ClientAddresses.Range r = ClientAddresses.Range.parse("10.128.0.0/9");
        assertTrue(r.contains(ClientAddresses.literal("10.200.1.1")));
        assertFalse(r.contains(ClientAddresses.literal("10.1.1.1")));
        assertFalse(r.contains(ClientAddresses.literal("::1")));
        assertNull(ClientAddresses.Range.parse("10.0.0.0/33"));
        assertNull(ClientAddresses.literal("1.2.3.4.5"));
        assertNull(ClientAddresses.literal("localhost"));
    }

    @Test
    void aHostNameInTheConfigurationStopsTheStart() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> trusting("proxy.internal"));
        assertTrue(e.getMessage().contains("switchboard.trusted-proxies"), e.getMessage());
    }
}
