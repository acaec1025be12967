package dev.switchboard.service.entity;

import dev.switchboard.common.JsonText;
import org.junit.jupiter.api.Test;

import jakarta.json.JsonValue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServiceSecretsTest {

    @Test
    void envValuesAreMaskedAndTheirNamesKept() {
        JsonValue config = JsonText.parse("{\"image\":\"alpine:3.20\",\"command\":[\"env\"],"
                + "\"env\":{\"DB_PASSWORD\":\"hunter2\",\"MODE\":\"fast\"}}");
        assertEquals(JsonText.parse("{\"image\":\"alpine:3.20\",\"command\":[\"env\"],"
                + "\"env\":{\"DB_PASSWORD\":\"********\",\"MODE\":\"********\"}}"), ServiceSecrets.masked(config));
    }

    @Test
    void credentialNamedKeysAreMaskedAtAnyDepth() {
        JsonValue config = JsonText.parse("{\"executable\":\"/bin/x\",\"api_key\":\"k\",\"registry\":{\"Auth-Token\":\"t\","
                + "\"user\":\"u\",\"list\":[{\"client_secret\":{\"a\":1}}]},\"max_tokens\":100,\"password\":null}");
        assertEquals(JsonText.parse("{\"executable\":\"/bin/x\",\"api_key\":\"********\",\"registry\":{\"Auth-Token\":\"********\","
                + "\"user\":\"u\",\"list\":[{\"client_secret\":\"********\"}]},\"max_tokens\":100,\"password\":null}"),
                ServiceSecrets.masked(config));
    }

    @Test
    void anEnvThatIsNotAnObjectIsMaskedWhole() {
        assertEquals(JsonText.parse("{\"env\":\"********\"}"), ServiceSecrets.masked(JsonText.parse("{\"env\":[\"A=1\"]}")));
    }

    @Test
    void secretNames() {
        for (String k : new String[] {"password", "DB_PASSWORD", "passwd", "secret", "clientSecret", "token", "auth-token",
                "apiKey", "API_KEY", "access_key", "private_key", "credentials"}) {
            assertTrue(ServiceSecrets.secretKey(k), k);
        }
        for (String k : new String[] {"image", "user", "max_tokens", "secret_name", "keys", "working_dir", "tokenizer"}) {
            assertFalse(ServiceSecrets.secretKey(k), k);
        }
    }
}
