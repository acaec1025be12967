package dev.switchboard.operation.entity;

import java.util.List;
import java.util.Optional;

/**
 * What an operation does: its family (the spec's {@code docker.*} or {@code standalone.*} messages), the spec's
 * {@code operation_type}, and the steps it goes through in order.
 */
public enum OperationKind {
    DOCKER_PULL(Family.DOCKER, "pull", List.of("pulling", "registering")),
    DOCKER_BUILD(Family.DOCKER, "build", List.of("cloning", "building", "registering")),
    DOCKER_CREATE(Family.DOCKER, "create", List.of("inspecting", "registering")),
    GIT_CLONE(Family.STANDALONE, "git-clone", List.of("cloning", "validating", "registering")),
    GIT_BUILD(Family.STANDALONE, "git-build", List.of("cloning", "building", "validating", "registering")),
    VALIDATE(Family.STANDALONE, "validate", List.of("validating", "registering")),
    UPLOAD(Family.STANDALONE, "upload", List.of("validating", "registering"));

    /** Which set of wire messages carries an operation. */
    public enum Family {
        DOCKER("docker"), STANDALONE("standalone");

        private final String wire;

        Family(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    private final Family family;
    private final String wire;
    private final List<String> steps;

    OperationKind(Family family, String wire, List<String> steps) {
        this.family = family;
        this.wire = wire;
        this.steps = steps;
    }

    public Family family() {
        return family;
    }

    public String wire() {
        return wire;
    }

    public List<String> steps() {
        return steps;
    }

    public static Optional<OperationKind> of(String family, String type) {
        for (OperationKind k : values()) {
            if (k.family.wire.equals(family) && k.wire.equals(type)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
