package dev.switchboard.service.boundary;

import dev.switchboard.common.JsonText;
import dev.switchboard.common.ApiErrors;
import dev.switchboard.service.entity.DockerConfig;
import dev.switchboard.service.entity.Pricing;
import dev.switchboard.service.entity.ServiceDefinition;
import dev.switchboard.service.entity.ServiceStatus;
import dev.switchboard.service.entity.ServiceType;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads and validates a service from a request body, collecting every faulty field. */
final class ServiceInput {

    private static final Set<String> INTERFACE_TYPES = Set.of("STDIN", "STDOUT", "MOUNT");
    private static final Set<String> MOUNT_FUNCTIONS = Set.of("INPUT", "OUTPUT", "");

    private final Map<String, String> faults = new LinkedHashMap<>();

    private ServiceInput() {
    }

    static ServiceDefinition read(JsonValue body) {
        return new ServiceInput().parse(body);
    }

    private ServiceDefinition parse(JsonValue body) {
        if (!(body instanceof JsonObject o)) {
            throw ApiErrors.invalid(Map.of("body", "must be a JSON object"));
        }
        String name = text(o, "name", true, 128);
        if (name != null && !name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            faults.put("name", "letters, digits, '.', '_' and '-', starting with a letter or digit");
        }
        String description = text(o, "description", false, 4000);
        ServiceType type = enumValue(o, "type", ServiceType.class, null);
        ServiceStatus status = enumValue(o, "status", ServiceStatus.class, ServiceStatus.ACTIVE);
        JsonObject config = object(o, "config");
        JsonObject capabilities = object(o, "capabilities");
        JsonArray interfaces = interfaces(o);
        if (type == ServiceType.STANDALONE && config != null) {
            JsonValue exe = config.get("executable");
            if (!(exe instanceof JsonString s) || s.getString().isBlank() || !Path.of(s.getString()).isAbsolute()
                    || s.getString().indexOf('\0') >= 0) {
                faults.put("config.executable", "a STANDALONE service needs the absolute path of its executable");
            }
        }
        if (type == ServiceType.DOCKER && config != null) {
            faults.putAll(DockerConfig.parse(config).faults());
        }
        BigDecimal amount = BigDecimal.ZERO;
        JsonValue a = o.get("pricing_amount");
        if (a != null && a != JsonValue.NULL) {
            if (a instanceof JsonNumber n && n.bigDecimalValue().signum() >= 0) {
                amount = n.bigDecimalValue();
            } else {
                faults.put("pricing_amount", "a number of at least 0");
            }
        }
        long interval = 0;
        JsonValue i = o.get("pricing_interval");
        if (i != null && i != JsonValue.NULL) {
            if (i instanceof JsonNumber n && n.isIntegral() && n.longValue() >= 0) {
                interval = n.longValue();
            } else {
                faults.put("pricing_interval", "a whole number of at least 0");
            }
        }
        String pricingType = text(o, "pricing_type", false, 32);
        String pricingUnit = text(o, "pricing_unit", false, 32);
        if (!faults.isEmpty()) {
            throw ApiErrors.invalid(faults);
        }
        return new ServiceDefinition(name, description == null ? "" : description, type, status,
                config == null ? "{}" : config.toString(),
                capabilities == null ? "{}" : capabilities.toString(),
                interfaces.toString(),
                new Pricing(amount, pricingType == null || pricingType.isEmpty() ? "FREE" : pricingType, interval,
                        pricingUnit == null ? "" : pricingUnit));
    }

    private String text(JsonObject o, String key, boolean required, int max) {
        JsonValue v = o.get(key);
        if (v == null || v == JsonValue.NULL) {
            if (required) {
                faults.put(key, "required");
            }
            return null;
        }
        if (!(v instanceof JsonString s)) {
            faults.put(key, "must be a string");
            return null;
        }
        String value = s.getString().strip();
        if (required && value.isEmpty()) {
            faults.put(key, "required");
        } else if (value.length() > max) {
            faults.put(key, "at most " + max + " characters");
        } else if (value.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\t')) {
            faults.put(key, "must not contain control characters");
        }
        return value;
    }

    private <E extends Enum<E>> E enumValue(JsonObject o, String key, Class<E> type, E fallback) {
        JsonValue v = o.get(key);
        if (v == null || v == JsonValue.NULL) {
            if (fallback == null) {
                faults.put(key, "required, one of " + java.util.Arrays.toString(type.getEnumConstants()));
            }
            return fallback;
        }
        if (v instanceof JsonString s) {
            try {
                return Enum.valueOf(type, s.getString().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException ignored) {
                // reported below
            }
        }
        faults.put(key, "one of " + java.util.Arrays.toString(type.getEnumConstants()));
        return fallback;
    }

    private JsonObject object(JsonObject o, String key) {
        JsonValue v = o.get(key);
        if (v == null || v == JsonValue.NULL) {
            return JsonText.object().build();
        }
        if (v instanceof JsonObject obj) {
            if (obj.toString().length() > 65_536) {
                faults.put(key, "at most 64 KiB of JSON");
            }
            return obj;
        }
        faults.put(key, "must be a JSON object");
        return null;
    }

    private JsonArray interfaces(JsonObject o) {
        JsonValue v = o.get("interfaces");
        if (v == null || v == JsonValue.NULL) {
            return JsonValue.EMPTY_JSON_ARRAY;
        }
        if (!(v instanceof JsonArray list) || list.size() > 64) {
            faults.put("interfaces", "an array of at most 64 {interface_type, path, mount_function}");
            return JsonValue.EMPTY_JSON_ARRAY;
        }
        var out = JsonText.array();
        for (int n = 0; n < list.size(); n++) {
            String at = "interfaces[" + n + "]";
            if (!(list.get(n) instanceof JsonObject item)) {
                faults.put(at, "must be an object");
                continue;
            }
            String kind = item.get("interface_type") instanceof JsonString s ? s.getString() : null;
            String path = item.get("path") instanceof JsonString s ? s.getString() : item.containsKey("path") ? null : "";
            String function = item.get("mount_function") instanceof JsonString s ? s.getString() : item.containsKey("mount_function") ? null : "";
            if (kind == null || !INTERFACE_TYPES.contains(kind)) {
                faults.put(at + ".interface_type", "one of STDIN, STDOUT, MOUNT");
            }
            if (path == null || path.length() > 1024 || path.indexOf('\0') >= 0 || path.contains("..")) {
                faults.put(at + ".path", "a string of at most 1024 characters without '..'");
            }
            if (function == null || !MOUNT_FUNCTIONS.contains(function)) {
                faults.put(at + ".mount_function", "one of INPUT, OUTPUT or \"\"");
            }
            out.add(JsonText.object().add("interface_type", kind == null ? "" : kind)
                    .add("path", path == null ? "" : path).add("mount_function", function == null ? "" : function));
        }
        return out.build();
    }
}
