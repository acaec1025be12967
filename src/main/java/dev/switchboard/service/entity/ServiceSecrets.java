package dev.switchboard.service.entity;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import java.util.Locale;
import java.util.Set;

/**
 * The parts of a service's {@code config} that are secret, and the config as a caller without a writing role sees
 * it. Secret: every value of {@code env} (names are kept, so a client still sees which variables are set), and the
 * value of any key, at any depth, named like a credential ({@code password}, {@code secret}, {@code token},
 * {@code api_key}, {@code access_key}, {@code private_key}, {@code credentials}, or ending in one of them, such as
 * {@code db_password} or {@code auth_token}; case, {@code _} and {@code -} ignored). A secret string, number or
 * boolean becomes {@link #MASK}; a secret object or array becomes {@link #MASK} as a whole.
 */
public final class ServiceSecrets {

    public static final String MASK = "********";

    private static final Set<String> SECRET_ENDINGS = Set.of("password", "passwd", "secret", "token", "apikey",
            "accesskey", "privatekey", "credentials", "credential");

    private ServiceSecrets() {
    }

    /** Whether a config key's value is secret wherever the key appears. */
    static boolean secretKey(String key) {
        String k = key.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
        for (String ending : SECRET_ENDINGS) {
            if (k.endsWith(ending)) {
                return true;
            }
        }
        return false;
    }

    /** The config with its secrets masked; anything that is not an object is returned as it is. */
    public static JsonValue masked(JsonValue config) {
        if (!(config instanceof JsonObject o)) {
            return config;
        }
        JsonObjectBuilder out = Json.createObjectBuilder();
        for (var e : o.entrySet()) {
            if (e.getKey().equals("env") && e.getValue() instanceof JsonObject env) {
                JsonObjectBuilder names = Json.createObjectBuilder();
                env.keySet().forEach(name -> names.add(name, MASK));
                out.add("env", names);
            } else if (e.getKey().equals("env") || secretKey(e.getKey())) {
                out.add(e.getKey(), e.getValue() == JsonValue.NULL ? JsonValue.NULL : Json.createValue(MASK));
            } else {
                out.add(e.getKey(), nested(e.getValue()));
            }
        }
        return out.build();
    }

    private static JsonValue nested(JsonValue value) {
        if (value instanceof JsonObject o) {
            JsonObjectBuilder out = Json.createObjectBuilder();
            for (var e : o.entrySet()) {
                out.add(e.getKey(), secretKey(e.getKey()) && e.getValue() != JsonValue.NULL ? Json.createValue(MASK) : nested(e.getValue()));
            }
            return out.build();
        }
        if (value instanceof JsonArray a) {
            JsonArrayBuilder out = Json.createArrayBuilder();
            a.forEach(v -> out.add(nested(v)));
            return out.build();
        }
        return value;
    }
}
