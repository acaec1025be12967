package dev.switchboard.operation.boundary;

import dev.switchboard.common.ApiErrors;
import dev.switchboard.operation.entity.OperationKind;
import dev.switchboard.operation.entity.OperationRequest;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads and checks an operation request, collecting every faulty field (400 naming them). */
final class OperationInput {

    /** The request, and the repository URL as given (credentials included; the request's copy is masked). */
    record Read(OperationRequest request, String repoUrl) {
    }

    private final Map<String, String> faults = new LinkedHashMap<>();
    private final Set<String> allowedSchemes;
    private final boolean admin;
    private final long maxTimeout;

    private OperationInput(Set<String> allowedSchemes, boolean admin, long maxTimeout) {
        this.allowedSchemes = allowedSchemes;
        this.admin = admin;
        this.maxTimeout = maxTimeout;
    }

    static Read read(OperationKind kind, JsonValue body, Set<String> allowedSchemes, boolean admin, long maxTimeout) {
        return new OperationInput(allowedSchemes, admin, maxTimeout).parse(kind, body);
    }

    private Read parse(OperationKind kind, JsonValue body) {
        if (!(body instanceof JsonObject o)) {
            throw ApiErrors.invalid(Map.of("body", "must be a JSON object"));
        }
        String name = text(o, "service_name", true, 128);
        if (name != null && !name.isEmpty() && !name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            faults.put("service_name", "letters, digits, '.', '_' and '-', starting with a letter or digit");
        }
        String description = orEmpty(text(o, "description", false, 4000));
        long timeout = maxTimeout;
        JsonValue t = o.get("timeout_seconds");
        if (t != null && t != JsonValue.NULL) {
            if (t instanceof JsonNumber n && n.isIntegral() && n.longValue() >= 1 && n.longValue() <= maxTimeout) {
                timeout = n.longValue();
            } else {
                faults.put("timeout_seconds", "a whole number from 1 to " + maxTimeout + " (ops.timeout-seconds)");
            }
        }
        String image = "";
        String repo = "";
        String ref = "";
        String dockerfile = "";
        String dockerfilePath = "";
        String executable = "";
        String session = "";
        List<String> command = List.of();
        List<String> probe = strings(o, "probe_args", 32, false);
        switch (kind) {
            case DOCKER_PULL, DOCKER_CREATE -> image = image(o, true);
            case DOCKER_BUILD -> {
                image = image(o, false);
                if (image.isEmpty() && name != null && faults.get("service_name") == null) {
                    image = name.toLowerCase(Locale.ROOT) + ":latest";
                }
                dockerfile = orEmpty(text(o, "dockerfile", false, 65_536));
                boolean hasRepo = o.get("repo_url") != null && o.get("repo_url") != JsonValue.NULL;
                if (dockerfile.isEmpty() == !hasRepo) {
                    faults.put(hasRepo ? "repo_url" : "dockerfile", "give either an inline dockerfile or a repo_url to build from");
                } else if (hasRepo) {
                    repo = repoUrl(o);
                    ref = ref(o);
                    dockerfilePath = relative(o, "dockerfile_path", false);
                }
            }
            case GIT_CLONE -> {
                repo = repoUrl(o);
                ref = ref(o);
                executable = relative(o, "executable", true);
            }
            case GIT_BUILD -> {
                repo = repoUrl(o);
                ref = ref(o);
                executable = relative(o, "executable", false);
                command = strings(o, "build_command", 64, true);
            }
            case VALIDATE -> {
                executable = orEmpty(text(o, "executable", true, 1024));
                if (!executable.isEmpty() && (!Path.of(executable).isAbsolute() || executable.contains("\0"))) {
                    faults.put("executable", "the absolute path of the executable");
                }
            }
            case UPLOAD -> session = orEmpty(text(o, "session_id", true, 64));
        }
        if (!faults.isEmpty()) {
            throw ApiErrors.invalid(faults);
        }
        String masked = repo.isEmpty() ? "" : dev.switchboard.operation.control.GitUrls.masked(repo);
        return new Read(new OperationRequest(kind, name, description, image, masked, ref, dockerfile, dockerfilePath, executable,
                command, probe, session, timeout), repo);
    }

    private String image(JsonObject o, boolean required) {
        String image = orEmpty(text(o, "image_name", required, 512));
        if (!image.isEmpty() && !image.matches("[A-Za-z0-9][A-Za-z0-9._/:@+-]*")) {
            faults.put("image_name", "an image reference such as alpine:3.20 or registry:5000/team/tool (no spaces)");
        }
        return image;
    }

    private String repoUrl(JsonObject o) {
        String url = orEmpty(text(o, "repo_url", true, 2048));
        if (url.isEmpty()) {
            return "";
        }
        if (url.startsWith("-") || url.chars().anyMatch(Character::isWhitespace)) {
            faults.put("repo_url", "a repository URL without spaces");
            return "";
        }
        String scheme = dev.switchboard.operation.control.GitUrls.scheme(url);
        if (!allowedSchemes.contains(scheme)) {
            faults.put("repo_url", "the scheme " + scheme + " is not allowed (ops.git.allowed-schemes: "
                    + String.join(", ", allowedSchemes.stream().sorted().toList()) + ")");
        } else if (scheme.equals("file") && !admin) {
            faults.put("repo_url", "file: repositories (paths on this server) are for the group admin only");
        }
        return url;
    }

    private String ref(JsonObject o) {
        String ref = orEmpty(text(o, "ref", false, 256));
        if (!ref.isEmpty() && (ref.startsWith("-") || ref.chars().anyMatch(c -> Character.isWhitespace(c) || c == '~' || c == '^' || c == ':'))) {
            faults.put("ref", "a branch, tag or commit hash");
        }
        return ref;
    }

    private String relative(JsonObject o, String key, boolean required) {
        String p = orEmpty(text(o, key, required, 1024));
        if (!p.isEmpty() && (p.startsWith("/") || p.contains("\\") || List.of(p.split("/")).contains("..") || p.contains("\0"))) {
            faults.put(key, "a path inside the repository (relative, without '..')");
        }
        return p;
    }

    private List<String> strings(JsonObject o, String key, int max, boolean nonEmptyFirst) {
        JsonValue v = o.get(key);
        if (v == null || v == JsonValue.NULL) {
            return List.of();
        }
        if (!(v instanceof JsonArray a) || a.isEmpty() || a.size() > max) {
            faults.put(key, "an array of 1 to " + max + " strings (an argument array, never a shell string)");
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (JsonValue item : a) {
            if (!(item instanceof JsonString s) || s.getString().length() > 4096 || s.getString().contains("\0")) {
                faults.put(key, "an array of strings (an argument array, never a shell string)");
                return List.of();
            }
            out.add(s.getString());
        }
        if (nonEmptyFirst && out.get(0).isBlank()) {
            faults.put(key, "the first element names the program");
        }
        return List.copyOf(out);
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
        String value = key.equals("dockerfile") ? s.getString() : s.getString().strip();
        if (required && value.isEmpty()) {
            faults.put(key, "required");
        } else if (value.length() > max) {
            faults.put(key, "at most " + max + " characters");
        } else if (value.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\t' && c != '\r') || (!key.equals("dockerfile")
                && !key.equals("description") && value.chars().anyMatch(c -> c == '\n' || c == '\r'))) {
            faults.put(key, "must not contain control characters");
        }
        return value;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
