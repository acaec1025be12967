package dev.switchboard.operation.entity;

import java.time.Instant;
import java.util.List;

/** An immutable snapshot of an operation: what leaves the domain instead of the entity. */
public record OperationView(String id, OperationKind kind, OperationStatus status, String owner, String serviceName,
                            String imageName, String repoUrl, String requestJson, String step, List<Step> steps,
                            double percentage, String message, String log, boolean logTruncated, String resultJson,
                            String error, String errorCode, Long serviceId, Instant createdAt, Instant startedAt,
                            Instant completedAt) {

    /** One planned step: {@code pending}, {@code running}, {@code completed}, {@code failed} or {@code skipped}. */
    public record Step(String name, String status, Instant startedAt, Instant completedAt) {
    }
}
