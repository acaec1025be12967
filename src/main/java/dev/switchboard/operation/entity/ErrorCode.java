package dev.switchboard.operation.entity;

/** The codes of {@code docker.operation.error} and {@code standalone.operation.error}. */
public enum ErrorCode {
    /** No Docker Engine configured, or it does not answer. */
    DOCKER_UNAVAILABLE,
    IMAGE_PULL_FAILED,
    IMAGE_BUILD_FAILED,
    /** The repository cannot be read, or the branch, tag or commit is not in it. */
    GIT_CLONE_FAILED,
    /** The builder failed, none was found for the repository, or it produced no executable. */
    BUILD_FAILED,
    VALIDATION_FAILED,
    TIMEOUT,
    CANCELLED,
    /** It was queued or running when the server stopped; it is not resumed (see the README). */
    INTERRUPTED,
    /** A fault of the server itself; the message has the incident id of the log line. */
    INTERNAL_ERROR
}
