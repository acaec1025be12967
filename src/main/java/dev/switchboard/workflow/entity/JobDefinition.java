package dev.switchboard.workflow.entity;

import java.util.List;

/** A workflow job as the engine and the clients see it; {@code pipedFrom} ⊆ {@code dependsOn}. */
public record JobDefinition(long id, String name, long serviceId, String input, String configJson,
                            List<String> dependsOn, List<String> pipedFrom) {
}
