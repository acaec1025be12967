package dev.switchboard.service.entity;

/** How a service runs: a Docker image, stored data, or a standalone executable. */
public enum ServiceType {
    DOCKER, DATA, STANDALONE;

    /** The coarse category the node spec's search response calls {@code type}. */
    public String category() {
        return this == DATA ? "STORAGE" : "COMPUTE";
    }
}
