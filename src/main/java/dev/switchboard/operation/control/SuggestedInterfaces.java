package dev.switchboard.operation.control;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;

import java.util.Collection;
import java.util.Locale;

/**
 * The interfaces a new service is given and the complete message suggests. An image that declares volumes is
 * fed through them: one {@code MOUNT} per volume, {@code INPUT} or {@code OUTPUT} when the folder's name says
 * so ({@code input}/{@code in}, {@code output}/{@code out}), else no function. Everything else (an image
 * without volumes, every standalone executable) reads STDIN and writes STDOUT.
 */
final class SuggestedInterfaces {

    private SuggestedInterfaces() {
    }

    static JsonArray forVolumes(Collection<String> volumes) {
        if (volumes.isEmpty()) {
            return stdio();
        }
        JsonArrayBuilder a = Json.createArrayBuilder();
        volumes.stream().sorted().forEach(v -> a.add(Json.createObjectBuilder().add("interface_type", "MOUNT").add("path", v)
                .add("mount_function", function(v))));
        return a.build();
    }

    static JsonArray stdio() {
        return Json.createArrayBuilder()
                .add(Json.createObjectBuilder().add("interface_type", "STDIN").add("path", "").add("mount_function", ""))
                .add(Json.createObjectBuilder().add("interface_type", "STDOUT").add("path", "").add("mount_function", ""))
                .build();
    }

    private static String function(String path) {
        String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        String last = p.substring(p.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        return switch (last) {
            case "input", "in", "inputs" -> "INPUT";
            case "output", "out", "outputs" -> "OUTPUT";
            default -> "";
        };
    }
}
