package dev.switchboard.auth.control;

import dev.switchboard.common.DataDirectory;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The RSA key this server signs its own tokens with: {@code switchboard.jwt.private-key} (PKCS#8 PEM) when
 * configured, otherwise a 2048-bit key generated at first start and kept in the data folder.
 */
@ApplicationScoped
public class SigningKeys {

    private static final Logger LOG = Logger.getLogger(SigningKeys.class.getName());

    @Inject
    @ConfigProperty(name = "switchboard.jwt.private-key")
    Optional<String> configuredKey;

    @Inject
    DataDirectory data;

    private RSAPrivateCrtKey privateKey;
    private RSAPublicKey publicKey;

    @PostConstruct
    void load() {
        try {
            String pem = configuredKey.filter(Pem::isPem).orElseGet(this::storedOrGenerated);
            privateKey = (RSAPrivateCrtKey) Pem.readPrivateKey(pem, "RSA");
            publicKey = (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalStateException("switchboard.jwt.private-key is not an RSA PKCS#8 PEM key", e);
        }
    }

    private String storedOrGenerated() {
        Path file = data.resolve("keys/jwt-signing-key.pem");
        try {
            if (Files.exists(file)) {
                return Files.readString(file);
            }
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            String pem = Pem.privateKey(generator.generateKeyPair().getPrivate());
            DataDirectory.writeSecret(file, pem);
            LOG.info(() -> "auth.signing-key generated file=" + file);
            return pem;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot read or create the signing key " + file, e);
        }
    }

    public RSAPrivateCrtKey privateKey() {
        return privateKey;
    }

    public RSAPublicKey publicKey() {
        return publicKey;
    }

    public String publicKeyPem() {
        return Pem.publicKey(publicKey);
    }
}
