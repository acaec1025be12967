package dev.switchboard.node.control;

import dev.switchboard.common.DataDirectory;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * This instance's stable identity: an Ed25519 key generated at first start and kept in the data folder.
 * {@code peer_id} is the libp2p form of its public key (base58btc of the identity multihash of the protobuf
 * key, so it reads {@code 12D3KooW...}); {@code dht_node_id} is {@code 0x} + hex SHA-256 of the peer id bytes.
 */
@ApplicationScoped
public class NodeIdentity {

    private static final Logger LOG = Logger.getLogger(NodeIdentity.class.getName());
    private static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    @Inject
    DataDirectory data;

    @Inject
    @ConfigProperty(name = "node.name")
    Optional<String> configuredName;

    private String name;

    private String peerId;
    private String dhtNodeId;

    @PostConstruct
    void load() {
        Path file = data.resolve("keys/node-public-key.b64");
        try {
            PublicKey publicKey;
            if (Files.exists(file)) {
                publicKey = KeyFactory.getInstance("Ed25519")
                        .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(Files.readString(file).trim())));
            } else {
                KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                DataDirectory.writeSecret(data.resolve("keys/node-private-key.b64"),
                        Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
                DataDirectory.writeSecret(file, Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()));
                publicKey = pair.getPublic();
            }
            byte[] id = peerIdBytes(publicKey);
            peerId = base58(id);
            dhtNodeId = "0x" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(id));
            name = configuredName.filter(n -> !n.isBlank()).orElseGet(NodeIdentity::hostName);
            LOG.info(() -> "node.identity peer_id=" + peerId + " name=" + name);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot read or create the node identity in " + file.getParent(), e);
        }
    }

    public String peerId() {
        return peerId;
    }

    /** A human name for this node ({@code node.name}, default the host name), the search answer's {@code peer_name}. */
    public String name() {
        return name;
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "switchboard";
        }
    }

    public String dhtNodeId() {
        return dhtNodeId;
    }

    /** Identity multihash (0x00, length) of the protobuf PublicKey {Type: Ed25519 = 1, Data: raw 32 bytes}. */
    static byte[] peerIdBytes(PublicKey ed25519) {
        byte[] x509 = ed25519.getEncoded();
        byte[] raw = Arrays.copyOfRange(x509, x509.length - 32, x509.length);
        byte[] protobuf = new byte[4 + raw.length];
        protobuf[0] = 0x08;
        protobuf[1] = 0x01;
        protobuf[2] = 0x12;
        protobuf[3] = (byte) raw.length;
        System.arraycopy(raw, 0, protobuf, 4, raw.length);
        byte[] multihash = new byte[2 + protobuf.length];
        multihash[0] = 0x00;
        multihash[1] = (byte) protobuf.length;
        System.arraycopy(protobuf, 0, multihash, 2, protobuf.length);
        return multihash;
    }

    static String base58(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        BigInteger value = new BigInteger(1, bytes);
        BigInteger base = BigInteger.valueOf(58);
        while (value.signum() > 0) {
            BigInteger[] qr = value.divideAndRemainder(base);
            out.append(ALPHABET.charAt(qr[1].intValue()));
            value = qr[0];
        }
        for (int i = 0; i < bytes.length && bytes[i] == 0; i++) {
            out.append('1');
        }
        return out.reverse().toString();
    }
}
