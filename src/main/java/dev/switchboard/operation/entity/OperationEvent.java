package dev.switchboard.operation.entity;

import dev.switchboard.operation.entity.OperationKind.Family;

/**
 * What an operation tells its watchers, in the order it happens (fired synchronously from the one thread that
 * runs the operation at that moment; observers only encode and enqueue). Each maps to one spec/node.md message.
 */
public sealed interface OperationEvent {

    String operationId();

    /** {@code docker.operation.start} / {@code standalone.operation.start}. */
    record Started(String operationId, Family family, String operationType, String serviceName, String imageName,
                   String repoUrl, String message) implements OperationEvent {
    }

    /**
     * {@code *.operation.progress}. {@code step} is one of the kind's steps, or {@code queued}; {@code stream} is
     * output that came with it (a build step line for Docker, builder output for standalone), else empty.
     */
    record Progressed(String operationId, Family family, String message, double percentage, String step,
                      String stream) implements OperationEvent {
    }

    /** {@code docker.pull.progress}: one Engine progress item of one layer ({@code layer} empty for the image). */
    record PullProgressed(String operationId, String serviceName, String imageName, String layer, String status,
                          String progress, Long current, Long total) implements OperationEvent {
    }

    /** {@code docker.build.output}: Engine build output; {@code error} and its detail (JSON text or null) on failure. */
    record BuildOutput(String operationId, String serviceName, String imageName, String stream, String error,
                       String errorDetailJson) implements OperationEvent {
    }

    /**
     * {@code *.operation.complete}: the service created or updated. {@code interfacesJson} is the suggested
     * interfaces as a JSON array; {@code executablePath} and {@code commitHash} are standalone's.
     */
    record Completed(String operationId, Family family, long serviceId, String serviceName, String serviceStatus,
                     String imageName, String executablePath, String commitHash, String interfacesJson)
            implements OperationEvent {
    }

    /** {@code *.operation.error}. */
    record Failed(String operationId, Family family, String error, ErrorCode code) implements OperationEvent {
    }
}
