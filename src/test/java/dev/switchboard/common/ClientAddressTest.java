package dev.switchboard.common;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ClientAddressTest {

    private static ClientAddress trusting(String proxies) {
        return new ClientAddress(Optional.ofNullable(proxies));
    }

    @Test
    void withoutTrustedProxiesTheHeaderIsIgnored() {
        ClientAddress a = trusting(null);
        assertEquals("198.51.100.9", a.resolve("198.51.100.9", List.of("203.0.113.7")));
        assertEquals("127.0.0.1", a.resolve("127.0.0.1", List.of("203.0.113.7")));
    }

    @Test
    void aTrustedPeersHeaderNamesTheClient() {
        ClientAddress a = trusting("10.0.0.2, 10.0.0.3");
        assertEquals("203.0.113.7", a.resolve("10.0.0.2", List.of("203.0.113.7")));
        assertEquals("10.0.0.2", a.resolve("10.0.0.2", List.of()), "no header: the proxy itself");
        assertEquals("198.51.100.9", a.resolve("198.51.100.9", List.of("203.0.113.7")), "an untrusted peer's header counts for nothing");
    }

    @Test
    void theHeaderIsReadFromTheRightPastTrustedHopsOnly() {
        ClientAddress a = trusting("10.0.0.2,10.0.0.3");
        // the client wrote "1.1.1.1" itself; the proxies appended what they saw
        assertEquals("203.0.113.7", a.resolve("10.0.0.2", List.of("1.1.1.1, 203.0.113.7, 10.0.0.3")));
        assertEquals("203.0.113.7", a.resolve("10.0.0.2", List.of("1.1.1.1", "203.0.113.7,10.0.0.3")), "several headers are one list");
        assertEquals("10.0.0.3", a.resolve("10.0.0.2", List.of("10.0.0.3")), "only trusted hops: the left-most");
        assertEquals("10.0.0.3", a.resolve("10.0.0.2", List.of("not-an-address, 10.0.0.3")), "garbage stops the walk");
    }

    @Test
    void portsBracketsAndSpellingsOfOneAddressAreOne() {
        ClientAddress a = trusting("::1");
        assertEquals("203.0.113.7", a.resolve("0:0:0:0:0:0:0:1", List.of("203.0.113.7:4711")));
        assertEquals("2001:db8:0:0:0:0:0:1", a.resolve("::1", List.of("[2001:db8::1]:4711")));
        assertEquals("2001:db8:0:0:0:0:0:1", a.resolve("::1", List.of("2001:DB8::1")));
    }

    @Test
    void onlyLiteralsAreAddressesAndNoneIsLookedUp() {
        assertNull(ClientAddress.normalize("localhost"));
        assertNull(ClientAddress.normalize("example.com"));
        assertNull(ClientAddress.normalize("1.2.3.256"));
        assertNull(ClientAddress.normalize("1:2:3"));
        assertNull(ClientAddress.normalize(""));
        assertEquals("1.2.3.4", ClientAddress.normalize(" 1.2.3.4 "));
        assertThrows(IllegalStateException.class, () -> trusting("proxy.internal"), "a host name is not an exact address");
    }
}
