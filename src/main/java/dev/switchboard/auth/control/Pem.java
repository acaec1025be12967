package dev.switchboard.auth.control;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** PKCS#8 private keys and X.509 public keys in PEM form, with the JDK's own key factories. */
final class Pem {

    private Pem() {
    }

    static String privateKey(PrivateKey key) {
        return wrap("PRIVATE KEY", key.getEncoded());
    }

    static String publicKey(PublicKey key) {
        return wrap("PUBLIC KEY", key.getEncoded());
    }

    static PrivateKey readPrivateKey(String pem, String algorithm) throws GeneralSecurityException {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(body(pem, "PRIVATE KEY")));
    }

    /** An X.509 public key, RSA or EC, whichever it is. */
    static PublicKey readPublicKey(String pem) throws GeneralSecurityException {
        byte[] der = body(pem, "PUBLIC KEY");
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException notRsa) {
            return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
        }
    }

    static boolean isPem(String text) {
        return text != null && text.contains("-----BEGIN ");
    }

    private static byte[] body(String pem, String label) throws GeneralSecurityException {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end);
        if (from < 0 || to < from) {
            throw new GeneralSecurityException("Not a PEM " + label);
        }
        return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
    }

    private static String wrap(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }
}
