package dev.switchboard.console;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsoleHeadersTest {

    @Test
    void webSocketsMayGoOnlyToTheConsolesOwnHost() {
        String p = ConsoleHeaders.policy("127.0.0.1:8080");
        assertTrue(p.contains("connect-src 'self' ws://127.0.0.1:8080 wss://127.0.0.1:8080;"), p);
        assertTrue(p.startsWith("default-src 'self';"), p);
        assertTrue(ConsoleHeaders.policy("[::1]:8080").contains("ws://[::1]:8080"));
    }

    @Test
    void aHostHeaderThatIsNotAHostAddsNothing() {
        String p = ConsoleHeaders.policy("evil.example; script-src *");
        assertTrue(p.contains("connect-src 'self' ;"), p);
        assertFalse(p.contains("evil"), p);
        assertTrue(ConsoleHeaders.policy(null).contains("connect-src 'self' ;"));
    }
}
