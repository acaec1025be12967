package dev.switchboard.auth.control;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which Switchboard roles an identity provider's groups give ({@code auth.idp.group-map}:
 * {@code idp-group=role,other-group=role}; a group may appear more than once to give several roles). A group that
 * is not listed gives nothing: an identity provider's group names belong to its administrators, and a group that
 * happens to be called {@code admin} there must not make anyone an admin here.
 */
final class GroupMap {

    private final Map<String, Set<String>> roles;

    private GroupMap(Map<String, Set<String>> roles) {
        this.roles = roles;
    }

    static GroupMap parse(String text) {
        Map<String, Set<String>> roles = new LinkedHashMap<>();
        if (text != null) {
            for (String entry : text.split(",")) {
                if (entry.isBlank()) {
                    continue;
                }
                int eq = entry.lastIndexOf('=');
                String group = eq < 0 ? "" : entry.substring(0, eq).trim();
                String role = eq < 0 ? "" : entry.substring(eq + 1).trim();
                if (group.isEmpty() || role.isEmpty()) {
                    throw new IllegalArgumentException("auth.idp.group-map: expected group=role, got \"" + entry.trim() + "\"");
                }
                roles.computeIfAbsent(group, g -> new LinkedHashSet<>()).add(role);
            }
        }
        roles.replaceAll((g, r) -> Set.copyOf(r));
        return new GroupMap(Map.copyOf(roles));
    }

    Set<String> rolesOf(Iterable<String> groups) {
        Set<String> result = new LinkedHashSet<>();
        for (String group : groups) {
            result.addAll(roles.getOrDefault(group, Set.of()));
        }
        return Set.copyOf(result);
    }

    boolean isEmpty() {
        return roles.isEmpty();
    }

    int size() {
        return roles.size();
    }
}
