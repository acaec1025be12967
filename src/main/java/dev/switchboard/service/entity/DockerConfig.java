package dev.switchboard.service.entity;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a DOCKER service's {@code config} says about its container. Only these keys reach the Docker Engine, each
 * as data (an argument list, never a shell line); other keys of the config (such as {@code capabilities}) are the
 * client's own and are ignored. Host-level settings (mounts, privileged mode, networks, devices) are deliberately
 * not accepted: whoever may create a service would otherwise own the Docker host.
 *
 * @param image      image reference, e.g. {@code alpine:3.20} or {@code registry:5000/team/tool@sha256:...}
 * @param command    replaces the image's CMD when not empty
 * @param entrypoint replaces the image's ENTRYPOINT when not empty
 * @param env        extra environment variables
 * @param workingDir working directory inside the container, or empty for the image's
 * @param user       {@code user[:group]} to run as, or empty for the image's
 */
public record DockerConfig(String image, List<String> command, List<String> entrypoint, Map<String, String> env,
                           String workingDir, String user) {

    private static final int MAX_ITEMS = 256;
    private static final int MAX_TEXT = 4096;

    /** The parsed config, or the faults that keep it from being one (keys are {@code config.<field>}). */
    public record Parsed(DockerConfig config, Map<String, String> faults) {
        public boolean ok() {
            return faults.isEmpty();
        }
    }

    public static Parsed parse(JsonObject config) {
        Map<String, String> faults = new LinkedHashMap<>();
        String image = text(config, "image", true, faults);
        if (image != null && (image.isBlank() || image.chars().anyMatch(Character::isWhitespace))) {
            faults.put("config.image", "a DOCKER service needs an image reference without spaces");
        }
        List<String> command = strings(config, "command", faults);
        List<String> entrypoint = strings(config, "entrypoint", faults);
        Map<String, String> env = new LinkedHashMap<>();
        JsonValue e = config.get("env");
        if (e != null && e != JsonValue.NULL) {
            if (!(e instanceof JsonObject o) || o.size() > MAX_ITEMS) {
                faults.put("config.env", "an object of at most " + MAX_ITEMS + " names to string values");
            } else {
                for (var entry : o.entrySet()) {
                    String name = entry.getKey();
                    if (name.isEmpty() || name.indexOf('=') >= 0 || !clean(name)) {
                        faults.put("config.env", "names must be non-empty, without '=' or control characters");
                    } else if (!(entry.getValue() instanceof JsonString s) || !clean(s.getString())) {
                        faults.put("config.env." + name, "must be a string without control characters");
                    } else {
                        env.put(name, s.getString());
                    }
                }
            }
        }
        String workingDir = text(config, "working_dir", false, faults);
        if (workingDir != null && !workingDir.isEmpty() && !workingDir.startsWith("/")) {
            faults.put("config.working_dir", "an absolute path inside the container");
        }
        String user = text(config, "user", false, faults);
        if (!faults.isEmpty()) {
            return new Parsed(null, faults);
        }
        return new Parsed(new DockerConfig(image, command, entrypoint, env, workingDir == null ? "" : workingDir,
                user == null ? "" : user), faults);
    }

    /** The {@code NAME=value} list the Engine takes. */
    public List<String> envList() {
        return env.entrySet().stream().map(x -> x.getKey() + "=" + x.getValue()).toList();
    }

    private static String text(JsonObject config, String key, boolean required, Map<String, String> faults) {
        JsonValue v = config.get(key);
        if (v == null || v == JsonValue.NULL) {
            if (required) {
                faults.put("config." + key, "required");
            }
            return null;
        }
        if (!(v instanceof JsonString s) || s.getString().length() > MAX_TEXT || !clean(s.getString())) {
            faults.put("config." + key, "a string of at most " + MAX_TEXT + " characters without control characters");
            return null;
        }
        return s.getString();
    }

    private static List<String> strings(JsonObject config, String key, Map<String, String> faults) {
        JsonValue v = config.get(key);
        if (v == null || v == JsonValue.NULL) {
            return List.of();
        }
        if (v instanceof JsonArray a && a.size() <= MAX_ITEMS) {
            List<String> out = new ArrayList<>();
            for (JsonValue item : a) {
                // arguments may hold line breaks and tabs; NUL cannot cross exec()
                if (!(item instanceof JsonString s) || s.getString().length() > MAX_TEXT || s.getString().indexOf('\0') >= 0) {
                    faults.put("config." + key, "an array of at most " + MAX_ITEMS + " strings (no NUL)");
                    return List.of();
                }
                out.add(s.getString());
            }
            return List.copyOf(out);
        }
        faults.put("config." + key, "an array of at most " + MAX_ITEMS + " strings (one argument each, no shell)");
        return List.of();
    }

    private static boolean clean(String s) {
        return s.chars().noneMatch(c -> c < 0x20 || c == 0x7f);
    }
}
