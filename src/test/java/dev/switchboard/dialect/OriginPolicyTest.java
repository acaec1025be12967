package dev.switchboard.dialect;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OriginPolicyTest {

    private static OriginPolicy policy(String configured) {
        OriginPolicy p = new OriginPolicy();
        p.configured = Optional.ofNullable(configured);
        return p;
    }

    @Test
    void defaultAllowsSameHostAndLocalhostOnly() {
        OriginPolicy p = policy(null);
        assertTrue(p.allowed(null, "switchboard.example:8080"), "non-browser clients send no Origin");
        assertTrue(p.allowed("https://switchboard.example:8080", "switchboard.example:8080"));
        assertTrue(p.allowed("http://localhost:5173", "switchboard.example:8080"));
        assertTrue(p.allowed("http://127.0.0.1:3000", "switchboard.example"));
        assertFalse(p.allowed("https://evil.example", "switchboard.example:8080"));
        assertFalse(p.allowed("https://switchboard.example.evil.example", "switchboard.example"));
        assertFalse(p.allowed("null", "switchboard.example"));
        assertFalse(p.allowed("http://localhost.evil.example", "switchboard.example"));
    }

    @Test
    void aConfiguredListIsExact() {
        OriginPolicy p = policy("https://app.example, https://admin.example");
        assertTrue(p.allowed("https://app.example", "api.example"));
        assertTrue(p.allowed("https://ADMIN.example", "api.example"));
        assertFalse(p.allowed("http://localhost:3000", "api.example"));
        assertFalse(p.allowed("https://app.example:444", "api.example"));
    }

    @Test
    void starAllowsAll() {
        assertTrue(policy("*").allowed("https://anything.example", "api.example"));
    }
}
