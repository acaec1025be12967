package dev.switchboard.node.control;

import org.junit.jupiter.api.Test;

import java.security.KeyPairGenerator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeIdentityTest {

    @Test
    void base58MatchesKnownVectors() {
        // vectors of the Bitcoin base58 alphabet
        assertEquals("", NodeIdentity.base58(new byte[0]));
        assertEquals("2g", NodeIdentity.base58(new byte[] {0x61}));
        assertEquals("1112", NodeIdentity.base58(new byte[] {0, 0, 0, 1}));
        assertEquals("StV1DL6CwTryKyV", NodeIdentity.base58("hello world".getBytes()));
    }

    @Test
    void ed25519KeysGiveLibp2pStylePeerIds() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
        String a = NodeIdentity.base58(NodeIdentity.peerIdBytes(g.generateKeyPair().getPublic()));
        String b = NodeIdentity.base58(NodeIdentity.peerIdBytes(g.generateKeyPair().getPublic()));
        assertTrue(a.startsWith("12D3KooW"), a);
        assertEquals(52, a.length());
        assertNotEquals(a, b);
    }
}
