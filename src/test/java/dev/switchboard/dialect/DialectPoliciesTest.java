package dev.switchboard.dialect;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DialectPoliciesTest {

    @Test
    void theWorkspaceNeedsATokenOnlyWhenConfigured() {
        DialectPolicies policies = new DialectPolicies();
        assertEquals(DialectPolicies.Auth.OPTIONAL, policies.policyFor("/workspace/ws").auth());
        policies.workspaceAuthRequired = true;
        assertEquals(DialectPolicies.Auth.REQUIRED, policies.policyFor("/workspace/ws").auth());
        assertEquals(DialectPolicies.Auth.REQUIRED, policies.policyFor("/api/ws").auth());
    }
}
