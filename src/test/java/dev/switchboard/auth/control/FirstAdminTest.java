package dev.switchboard.auth.control;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class FirstAdminTest {

    @Test
    void shortAndWellKnownPasswordsAreRefused() {
        for (String weak : new String[] {"change-me", "it-admin", "Change-Me-Now", "administrator", "aaaaaaaaaaaaaa",
                "abababababababab", "PleaseChangeMe"}) {
            assertNotNull(FirstAdmin.weakness(weak, "admin"), weak);
        }
        assertNotNull(FirstAdmin.weakness("operator-bob1", "operator-bob1"), "the user name itself");
    }

    @Test
    void aLongUnusualPasswordIsAccepted() {
        assertNull(FirstAdmin.weakness("it-admin-secret", "admin"));
        assertNull(FirstAdmin.weakness("correct horse battery", "admin"));
    }
}
