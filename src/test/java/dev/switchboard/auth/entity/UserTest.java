package dev.switchboard.auth.entity;

import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UserTest {

    @Test
    void onlyAnEnabledMemberOfAdminCountsAsAnAdmin() {
        User u = new User("ann", "hash", List.of("operator", "admin"));
        assertTrue(u.isAdmin());
        u.disabled(true);
        assertFalse(u.isAdmin());
        u.disabled(false);
        u.groups(List.of("operator"));
        assertFalse(u.isAdmin());
        assertEquals(List.of("operator"), u.groups());
        u.groups(List.of());
        assertEquals(List.of(), u.groups());
    }

    @Test
    void everyChangeOfCredentialsRevokesTheTokensIssuedBefore() {
        User u = new User("bob", "hash", List.of());
        assertNull(u.tokensValidAfter(), "a new user's tokens are all valid");
        OffsetDateTime before = OffsetDateTime.now().withNano(0);
        u.passwordHash("other");
        assertNotNull(u.tokensValidAfter());
        assertFalse(u.tokensValidAfter().isBefore(before));
        assertEquals(0, u.tokensValidAfter().getNano(), "whole seconds, like a token's iat");
        assertEquals("other", u.passwordHash());
    }
}
