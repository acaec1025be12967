package dev.switchboard.dialect;

import org.junit.jupiter.api.Test;

import java.security.Principal;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The endpoint's own check ({@link Admission#claim}): an endpoint accepts only the guard's admission for its own
 * dialect that satisfies its policy, once. On the wire the guard always runs first, so this is where the endpoint's
 * side is proven.
 */
class AdmissionTest {

    private static final Dialect NODE = TestDialect.of("node", "/api/ws", Dialect.Auth.REQUIRED);
    private final AtomicInteger givenBack = new AtomicInteger();

    private Admission admission(String dialect, boolean withToken) {
        return new Admission(dialect, withToken ? FakeSession.token("alice") : null, null, "192.0.2.1", null,
                givenBack::incrementAndGet);
    }

    private static jakarta.websocket.Session session(Principal principal) {
        return new FakeSession(principal, Map.of()).session();
    }

    @Test
    void noPrincipalMeansTheGuardDidNotRun() {
        assertNull(Admission.claim(session(null), NODE));
    }

    @Test
    void aPrincipalThatIsNotTheGuardsIsNotTrusted() {
        // e.g. the container's own MP-JWT principal for an Authorization header: verified by nobody we know
        assertNull(Admission.claim(session(FakeSession.token("alice")), NODE));
        assertNull(Admission.claim(session(() -> "alice"), NODE));
    }

    @Test
    void anAdmissionToAnotherDialectIsRefusedAndItsSlotGivenBack() {
        assertNull(Admission.claim(session(admission("control", true)), NODE));
        assertEquals(1, givenBack.get());
    }

    @Test
    void aDialectThatRequiresATokenRefusesAnAdmissionWithoutOne() {
        assertNull(Admission.claim(session(admission("node", false)), NODE));
        assertEquals(1, givenBack.get());
        Admission anonymous = admission("control", false);
        assertSame(anonymous, Admission.claim(session(anonymous), TestDialect.of("control", "/control/ws", Dialect.Auth.OPTIONAL)));
        assertNull(Admission.claim(session(admission("control", false)), TestDialect.of("control", "/control/ws", Dialect.Auth.REQUIRED)),
                "the policy is read from the descriptor when the endpoint opens, not taken from the guard");
    }

    @Test
    void anAdmissionIsClaimedOnceAndReleasedOnce() {
        Admission a = admission("node", true);
        assertSame(a, Admission.claim(session(a), NODE));
        assertNull(Admission.claim(session(a), NODE));
        a.release();
        a.release();
        assertEquals(1, givenBack.get(), "the failed second claim released it; later releases do nothing");
    }

    @Test
    void anAdmissionNotClaimedInTimeIsGivenBackAndCannotBeClaimedLater() {
        Admission a = admission("node", true);
        assertFalse(a.expireIfUnclaimed(System.nanoTime(), Long.MAX_VALUE));
        assertTrue(a.expireIfUnclaimed(System.nanoTime() + 10, 0));
        assertEquals(1, givenBack.get());
        assertNull(Admission.claim(session(a), NODE));
        assertEquals(1, givenBack.get());
    }
}
