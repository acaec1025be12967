package dev.switchboard.dialect;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DialectPoliciesTest {

    @Test
    void theWorkspaceNeedsATokenOnlyWhenConfigured() {
        DialectPolicies policies = new DialectPolicies();
        assertEquals(DialectPolicies.Auth.OPTIONAL, policies.authFor("/workspace/ws"));
        policies.workspaceAuthRequired = true;
        assertEquals(DialectPolicies.Auth.REQUIRED, policies.authFor("/workspace/ws"));
        assertEquals(DialectPolicies.Auth.REQUIRED, policies.authFor("/api/ws"));
    }
}
