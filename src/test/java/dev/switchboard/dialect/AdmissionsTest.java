package dev.switchboard.dialect;

import dev.switchboard.common.ClientAddresses;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Connection slots: totals, per address, loopback, the anonymous connect rate, in-band refusals, giving back. */
class AdmissionsTest {

    private static final ClientAddresses.Client A = new ClientAddresses.Client("198.51.100.1", "198.51.100.1", false);
    private static final ClientAddresses.Client B = new ClientAddresses.Client("198.51.100.2", "198.51.100.2", false);
    private static final ClientAddresses.Client LOCAL = new ClientAddresses.Client("127.0.0.1", "127.0.0.1", true);

    private static Dialect dialect(Dialect.Limits limits) {
        return new Dialect() {
            public String name() {
                return "test";
            }

            public String path() {
                return "/test/ws";
            }

            public Auth auth() {
                return Auth.OPTIONAL;
            }

            public Limits limits() {
                return limits;
            }
        };
    }

    private static Admissions admissions(boolean exemptLoopback) {
        Admissions a = new Admissions();
        a.exemptLoopback = exemptLoopback;
        return a;
    }

    @Test
    void perAddressThenTotalAreBoundedAndSlotsComeBackOnRelease() {
        Admissions admissions = admissions(true);
        Dialect d = dialect(Dialect.Limits.of(3, 2));
        Admission a1 = assertInstanceOf(Admission.class, admissions.admit(d, null, null, A));
        assertInstanceOf(Admission.class, admissions.admit(d, null, null, A));
        Admissions.Refusal perAddress = assertInstanceOf(Admissions.Refusal.class, admissions.admit(d, null, null, A));
        assertEquals(429, perAddress.status());
        assertTrue(perAddress.message().contains("from your address"), perAddress.message());
        assertInstanceOf(Admission.class, admissions.admit(d, null, null, B));
        Admissions.Refusal total = assertInstanceOf(Admissions.Refusal.class, admissions.admit(d, null, null, B));
        assertEquals(503, total.status());
        assertEquals(3, admissions.open("test"));
        a1.release();
        a1.release();
        assertEquals(2, admissions.open("test"), "released once however often it is called");
        assertInstanceOf(Admission.class, admissions.admit(d, null, null, A), "A's slot came back");
    }

    @Test
    void loopbackCountsInTheTotalButNotPerAddressWhileExempt() {
        Dialect d = dialect(Dialect.Limits.of(5, 1));
        Admissions exempt = admissions(true);
        for (int i = 0; i < 5; i++) {
            assertInstanceOf(Admission.class, exempt.admit(d, null, null, LOCAL));
        }
        assertEquals(503, assertInstanceOf(Admissions.Refusal.class, exempt.admit(d, null, null, LOCAL)).status());
        Admissions counted = admissions(false);
        assertInstanceOf(Admission.class, counted.admit(d, null, null, LOCAL));
        assertEquals(429, assertInstanceOf(Admissions.Refusal.class, counted.admit(d, null, null, LOCAL)).status());
    }

    @Test
    void handshakesWithoutATokenAreRateLimitedPerAddressWithRetryAfter() {
        Admissions admissions = admissions(true);
        Dialect d = dialect(Dialect.Limits.of(100, 100).anonymousConnects(0.001, 2));
        assertInstanceOf(Admission.class, admissions.admit(d, null, null, A));
        assertInstanceOf(Admission.class, admissions.admit(d, null, null, A));
        Admissions.Refusal r = assertInstanceOf(Admissions.Refusal.class, admissions.admit(d, null, null, A));
        assertEquals(429, r.status());
        assertTrue(r.retryAfterSeconds() >= 1, String.valueOf(r.retryAfterSeconds()));
        assertInstanceOf(Admission.class, admissions.admit(d, FakeSession.token("alice"), null, A),
                "a token holder is not an anonymous name");
        assertInstanceOf(Admission.class, admissions.admit(d, null, null, B), "another address has its own bucket");
        assertInstanceOf(Admission.class, admissions.admit(d, null, null, LOCAL), "loopback is exempt");
    }

    @Test
    void aDialectThatRefusesInBandGetsAnAdmissionCarryingTheRefusalAndHoldingNoSlot() {
        Admissions admissions = admissions(true);
        Dialect d = dialect(Dialect.Limits.of(1, 1).inBand());
        Admission first = assertInstanceOf(Admission.class, admissions.admit(d, null, null, A));
        assertNull(first.refusal());
        Admission refused = assertInstanceOf(Admission.class, admissions.admit(d, null, null, B));
        assertNotNull(refused.refusal());
        refused.release();
        assertEquals(1, admissions.open("test"), "releasing a refused admission gives back nothing it did not take");
    }

    @Test
    void theSweepGivesBackWhatNoEndpointClaimed() {
        Admissions admissions = admissions(true);
        Dialect d = dialect(Dialect.Limits.of(10, 10));
        assertInstanceOf(Admission.class, admissions.admit(d, null, null, A));
        admissions.sweep();
        assertEquals(1, admissions.open("test"), "young: still waiting for its endpoint");
    }
}
