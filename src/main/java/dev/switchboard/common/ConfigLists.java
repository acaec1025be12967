package dev.switchboard.common;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Comma-separated configuration values; Payara's MP Config cannot inject {@code Optional<List<String>>}. */
public final class ConfigLists {

    private ConfigLists() {
    }

    public static List<String> split(Optional<String> value) {
        return value.map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
    }
}
