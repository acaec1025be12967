package dev.switchboard.it;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Map;

/**
 * One server for every integration test that does not restart it: started on first use, killed when the
 * test JVM exits. It trusts a test identity provider ({@link #IDP_ISSUER}, ES256, its key as PEM) and requires the
 * audience {@link #AUDIENCE}; of the provider's groups only {@link #IDP_OPERATORS} and {@link #IDP_ADMINS} give roles.
 * Keep-alive is shortened (ping after 2 s of quiet, close after 5 s) so that its tests are quick.
 */
public final class SharedServer {

    /** The test's stand-in for an enterprise identity provider: its issuer, audience and EC signing key. */
    public static final String IDP_ISSUER = "https://idp.it.example/realms/switchboard";
    public static final String AUDIENCE = "switchboard-it";
    /** The IdP groups {@code auth.idp.group-map} maps to the roles operator and admin; every other group gives nothing. */
    public static final String IDP_OPERATORS = "operator";
    public static final String IDP_ADMINS = "sb-admins";
    private static final KeyPair IDP_KEY = ecKey();

    private static AppServer server;

    public static KeyPair idpKey() {
        return IDP_KEY;
    }

    private static KeyPair ecKey() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private SharedServer() {
    }

    public static synchronized AppServer get() {
        if (server == null) {
            server = AppServer.create("shared", Map.ofEntries(
                    Map.entry("HUB_PING_INTERVAL_SECONDS", "2"),
                    Map.entry("HUB_PONG_TIMEOUT_SECONDS", "5"),
                    Map.entry("NODE_RATE_LIMIT_PER_SECOND", "2000"),
                    Map.entry("MP_JWT_VERIFY_ISSUER", IDP_ISSUER),
                    Map.entry("MP_JWT_VERIFY_PUBLICKEY", "-----BEGIN PUBLIC KEY-----\n"
                            + Base64.getMimeEncoder().encodeToString(IDP_KEY.getPublic().getEncoded())
                            + "\n-----END PUBLIC KEY-----\n"),
                    Map.entry("MP_JWT_VERIFY_AUDIENCES", AUDIENCE),
                    // the IdP's groups give roles only through the map: "operator" keeps its writes, "sb-admins" is admin
                    Map.entry("AUTH_IDP_GROUP_MAP", IDP_OPERATORS + "=operator," + IDP_ADMINS + "=admin"),
                    // many tests sign in as admin from one address, some with wrong passwords on purpose (the vault's
                    // security alert): login throttling is tested on a server of its own (AuthHardeningIT)
                    Map.entry("AUTH_LOGIN_USER_FREE_FAILURES", "50"),
                    Map.entry("AUTH_LOGIN_ADDRESS_FREE_FAILURES", "200"),
                    Map.entry("UPLOAD_MAX_FILE_BYTES", String.valueOf(64L * 1024 * 1024)),
                    Map.entry("UPLOAD_SESSION_IDLE_SECONDS", "8"),
                    Map.entry("UPLOAD_SERVICE_QUOTA_BYTES", String.valueOf(200L * 1024 * 1024)),
                    Map.entry("UPLOAD_CLEANUP_INTERVAL_SECONDS", "2"),
                    // vault and control: samples, heartbeats and alerts every second; a security alert after 3 refusals
                    Map.entry("METRICS_INTERVAL_SECONDS", "1"),
                    Map.entry("AGENT_HEARTBEAT_INTERVAL_SECONDS", "1"),
                    Map.entry("ALERTS_SECURITY_AUTH_FAILURES_PER_INTERVAL", "3"),
                    Map.entry("VAULT_MAX_CONNECTIONS", "40")));
            // rtc: a 200/s rate limit a flood passes quickly, AuthStatus 3 s before exp, a small offline queue
            server.env("RTC_RATE_LIMIT_PER_SECOND", "200").env("RTC_AUTH_EXPIRY_WARNING_SECONDS", "3")
                    .env("MESSAGING_QUEUE_MAX_PER_USER", "30").env("MESSAGING_QUEUE_PURGE_INTERVAL_SECONDS", "2");
            // workspace: a limit a test can reach, small text and frame limits
            server.env("WORKSPACE_RATE_LIMIT_PER_SECOND", "5").env("WORKSPACE_RATE_LIMIT_BURST", "30")
                    .env("WORKSPACE_MESSAGE_MAX_LENGTH", "100").env("WORKSPACE_MAX_MESSAGE_BYTES", "65536")
                    .env("WORKSPACE_IDLE_TIMEOUT_SECONDS", "6");
            // connection limits: 127.0.0.1 is a trusted proxy, so tests speak for other addresses through
            // X-Forwarded-For and meet small caps there (ConnectionLimitsIT); plain loopback stays exempt per address
            server.env("SWITCHBOARD_TRUSTED_PROXIES", "127.0.0.1").env("NODE_MAX_CONNECTIONS_PER_ADDRESS", "3")
                    .env("CONTROL_MAX_CONNECTIONS_PER_ADDRESS", "3").env("VAULT_MAX_CONNECTIONS_PER_ADDRESS", "3")
                    .env("WORKSPACE_ANONYMOUS_CONNECTS_PER_SECOND", "0.01").env("WORKSPACE_ANONYMOUS_CONNECT_BURST", "4");
            AppServer s = server;
            Runtime.getRuntime().addShutdownHook(new Thread(s::close));
            s.start();
            System.out.println("it.shared-server ready-ms=" + s.readyAfterMillis() + " port=" + s.port());
        }
        return server;
    }
}
