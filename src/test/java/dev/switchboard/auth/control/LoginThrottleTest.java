package dev.switchboard.auth.control;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoginThrottleTest {

    private static LoginThrottle throttle(int userFree, int addressFree, int concurrent) {
        LoginThrottle t = new LoginThrottle();
        t.userFreeFailures = userFree;
        t.addressFreeFailures = addressFree;
        t.backoffBaseSeconds = 60;
        t.backoffMaxSeconds = 600;
        t.failureWindowSeconds = 900;
        t.trackedMax = 100;
        t.maxConcurrent = concurrent;
        t.init();
        return t;
    }

    private static void fail(LoginThrottle t, String user, String address) {
        LoginThrottle.Decision d = t.begin(user, address);
        assertTrue(d.allowed(), d.toString());
        t.finished(user, address, false);
    }

    @Test
    void aNameIsLockedFromEveryAddressWhateverItsCase() {
        LoginThrottle t = throttle(2, 100, 4);
        fail(t, "admin", "203.0.113.1");
        fail(t, "ADMIN", "203.0.113.2");
        fail(t, "Admin", "203.0.113.3");
        LoginThrottle.Decision d = t.begin("admin", "198.51.100.1");
        assertEquals(LoginThrottle.Refusal.USER_LOCKED, d.refusal());
        assertEquals(60, d.retryAfterSeconds());
        assertTrue(t.begin("someone-else", "198.51.100.1").allowed());
    }

    @Test
    void anAddressIsLockedForEveryName() {
        LoginThrottle t = throttle(100, 2, 4);
        for (int i = 0; i < 3; i++) {
            fail(t, "guess-" + i, "203.0.113.9");
        }
        assertEquals(LoginThrottle.Refusal.ADDRESS_LOCKED, t.begin("admin", "203.0.113.9").refusal());
        assertTrue(t.begin("admin", "203.0.113.10").allowed());
    }

    @Test
    void aSuccessClearsTheNameButNotTheAddress() {
        LoginThrottle t = throttle(1, 1, 4);
        fail(t, "guess", "203.0.113.5");
        assertTrue(t.begin("mine", "203.0.113.5").allowed());
        t.finished("mine", "203.0.113.5", true);
        // the address 203.0.113.5 still has its failure: one more and it is locked, the success did not reset it
        fail(t, "other", "203.0.113.5");
        assertEquals(LoginThrottle.Refusal.ADDRESS_LOCKED, t.begin("x", "203.0.113.5").refusal());
    }

    @Test
    void concurrentChecksAreBoundedAndSlotsComeBack() {
        LoginThrottle t = throttle(100, 100, 2);
        assertTrue(t.begin("a", "203.0.113.1").allowed());
        assertTrue(t.begin("b", "203.0.113.2").allowed());
        LoginThrottle.Decision busy = t.begin("c", "203.0.113.3");
        assertEquals(LoginThrottle.Refusal.BUSY, busy.refusal());
        assertEquals(1, busy.retryAfterSeconds());
        t.finished("a", "203.0.113.1", true);
        t.abandoned();
        assertTrue(t.begin("c", "203.0.113.3").allowed());
        assertTrue(t.begin("d", "203.0.113.4").allowed());
        assertFalse(t.begin("e", "203.0.113.5").allowed());
    }

    @Test
    void ipv6ClientsAreCountedByTheirSlash64() {
        assertEquals("2001:db8:1:2::/64", LoginThrottle.addressKey("2001:db8:1:2:0:0:0:1"));
        assertEquals("2001:db8:1:2::/64", LoginThrottle.addressKey("2001:db8:1:2:ffff:1:2:3"));
        assertEquals("203.0.113.1", LoginThrottle.addressKey("203.0.113.1"));
    }
}
