package dev.switchboard.operation.entity;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Lob;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import java.io.StringReader;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * One Docker or standalone operation, from its request to its end. Its steps are planned when it is created
 * ({@link OperationKind#steps()}) and move {@code pending → running → completed}, or {@code failed} and the rest
 * {@code skipped}; the output log is already bounded when it is stored here.
 */
@Entity
@Table(name = "sb_operation")
@NamedQuery(name = Operation.LATEST, query = "SELECT o FROM Operation o ORDER BY o.createdAt DESC")
@NamedQuery(name = Operation.OWN_UNFINISHED, query = "SELECT o FROM Operation o WHERE o.status IN :statuses"
        + " AND (o.runner = :runner OR o.runner IS NULL) ORDER BY o.createdAt")
@NamedQuery(name = Operation.RUNNING_ON, query = "SELECT o.id FROM Operation o WHERE o.status IN :statuses AND o.runner = :runner")
@NamedQuery(name = Operation.EXPIRED, query = "SELECT o.id FROM Operation o WHERE o.status IN :statuses"
        + " AND o.leaseExpiresAt < :now ORDER BY o.createdAt")
public class Operation {

    public static final String LATEST = "Operation.latest";
    /** Unfinished operations of a member's (or of no member's: from before leases). */
    public static final String OWN_UNFINISHED = "Operation.ownUnfinished";
    /** The ids of a member's unfinished operations. */
    public static final String RUNNING_ON = "Operation.runningOn";
    /** The ids of unfinished operations whose lease has expired, oldest first. */
    public static final String EXPIRED = "Operation.expired";
    /** What "unfinished" means for the queries above. */
    public static final List<OperationStatus> UNFINISHED = List.of(OperationStatus.QUEUED, OperationStatus.RUNNING);

    @Id
    private String id;

    @Column(nullable = false)
    private String family;

    @Column(name = "operation_type", nullable = false)
    private String operationType;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private OperationStatus status = OperationStatus.QUEUED;

    @Column(nullable = false)
    private String owner;

    @Column(name = "service_name", nullable = false)
    private String serviceName;

    @Column(name = "image_name", nullable = false)
    private String imageName;

    @Column(name = "repo_url", nullable = false)
    private String repoUrl;

    @Lob
    @Column(name = "request_json", nullable = false)
    private String requestJson;

    @Column(nullable = false)
    private String step = "queued";

    @Lob
    @Column(name = "steps_json", nullable = false)
    private String stepsJson;

    @Column(nullable = false)
    private double percentage;

    @Column(nullable = false)
    private String message = "";

    @Lob
    @Column(name = "output_log", nullable = false)
    private String log = "";

    @Column(name = "log_truncated", nullable = false)
    private boolean logTruncated;

    @Lob
    @Column(name = "result_json", nullable = false)
    private String resultJson = "{}";

    @Column(nullable = false)
    private String error = "";

    @Column(name = "error_code", nullable = false)
    private String errorCode = "";

    @Column(name = "service_id")
    private Long serviceId;

    @Column(name = "created_at", nullable = false)
    private OffsetDateTime createdAt;

    @Column(name = "started_at")
    private OffsetDateTime startedAt;

    @Column(name = "completed_at")
    private OffsetDateTime completedAt;

    /** The member that runs it (its peer id); null for an operation stored by a version without leases. */
    @Column(name = "runner", updatable = false)
    private String runner;

    /**
     * Until when the runner's lease holds (epoch milliseconds). Renewed by the runner in one SQL statement for all its
     * operations, never written back from an entity: a change of the operation must not put back an older expiry.
     */
    @Column(name = "lease_expires_at", nullable = false, updatable = false)
    private long leaseExpiresAt;

    protected Operation() {
        // JPA
    }

    /** A new operation of {@code owner}'s (the user), run by the member {@code runner} under a lease until {@code leaseUntil}. */
    public Operation(String id, OperationRequest request, String owner, String runner, long leaseUntil) {
        this.id = id;
        this.runner = runner;
        this.leaseExpiresAt = leaseUntil;
        this.family = request.kind().family().wire();
        this.operationType = request.kind().wire();
        this.owner = owner;
        this.serviceName = request.serviceName();
        this.imageName = request.imageName();
        this.repoUrl = request.repoUrl();
        this.requestJson = request.json();
        List<OperationView.Step> steps = new ArrayList<>();
        request.kind().steps().forEach(s -> steps.add(new OperationView.Step(s, "pending", null, null)));
        this.stepsJson = stepsJson(steps);
        this.createdAt = OffsetDateTime.now();
    }

    public String id() {
        return id;
    }

    public OperationStatus status() {
        return status;
    }

    /** Whether its runner's lease has run out by {@code nowMillis}: the runner died, or lost the database that long. */
    public boolean leaseExpiredAt(long nowMillis) {
        return leaseExpiresAt < nowMillis;
    }

    public String runner() {
        return runner;
    }

    public OperationKind kind() {
        return OperationKind.of(family, operationType).orElseThrow();
    }

    public void start() {
        if (status == OperationStatus.QUEUED) {
            status = OperationStatus.RUNNING;
            startedAt = OffsetDateTime.now();
        }
    }

    /** The running step (if any) completes and {@code next} runs; a step the plan does not have is only named. */
    public void enter(String next, String message, double percentage) {
        List<OperationView.Step> steps = steps();
        Instant now = Instant.now();
        for (int i = 0; i < steps.size(); i++) {
            OperationView.Step s = steps.get(i);
            if (s.status().equals("running")) {
                steps.set(i, new OperationView.Step(s.name(), "completed", s.startedAt(), now));
            } else if (s.name().equals(next) && s.status().equals("pending")) {
                steps.set(i, new OperationView.Step(s.name(), "running", now, null));
            }
        }
        // steps before the one entered that never ran (a git-build's cloning is never skipped, a Docker build
        // without a repository has no cloning) are marked so
        int at = indexOf(steps, next);
        for (int i = 0; i < at; i++) {
            OperationView.Step s = steps.get(i);
            if (s.status().equals("pending")) {
                steps.set(i, new OperationView.Step(s.name(), "skipped", null, null));
            }
        }
        this.stepsJson = stepsJson(steps);
        this.step = next;
        progress(message, percentage);
    }

    public void progress(String message, double percentage) {
        this.message = truncate(message, 1024);
        this.percentage = percentage;
    }

    public void log(String text, boolean truncated) {
        this.log = text.replace("\u0000", "");
        this.logTruncated = truncated;
    }

    public void complete(String resultJson, Long serviceId, String message) {
        finishSteps("completed");
        this.status = OperationStatus.COMPLETED;
        this.resultJson = resultJson;
        this.serviceId = serviceId;
        this.percentage = 100;
        this.message = truncate(message, 1024);
        this.completedAt = OffsetDateTime.now();
    }

    public void fail(ErrorCode code, String error) {
        finishSteps("failed");
        this.status = OperationStatus.ERROR;
        this.errorCode = code.name();
        this.error = truncate(error, 4000);
        this.message = truncate(error, 1024);
        if (startedAt == null) {
            startedAt = OffsetDateTime.now();
        }
        this.completedAt = OffsetDateTime.now();
    }

    private void finishSteps(String runningBecomes) {
        List<OperationView.Step> steps = steps();
        Instant now = Instant.now();
        for (int i = 0; i < steps.size(); i++) {
            OperationView.Step s = steps.get(i);
            if (s.status().equals("running")) {
                steps.set(i, new OperationView.Step(s.name(), runningBecomes, s.startedAt(), now));
            } else if (s.status().equals("pending")) {
                steps.set(i, new OperationView.Step(s.name(), "skipped", null, null));
            }
        }
        this.stepsJson = stepsJson(steps);
    }

    public OperationView view() {
        return new OperationView(id, kind(), status, owner, serviceName, imageName, repoUrl, requestJson, step, steps(),
                percentage, message, log, logTruncated, resultJson, error, errorCode, serviceId, instant(createdAt),
                instant(startedAt), instant(completedAt));
    }

    private static int indexOf(List<OperationView.Step> steps, String name) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).name().equals(name)) {
                return i;
            }
        }
        return 0;
    }

    private List<OperationView.Step> steps() {
        List<OperationView.Step> out = new ArrayList<>();
        try (var reader = Json.createReader(new StringReader(stepsJson))) {
            JsonArray a = reader.readArray();
            for (JsonObject s : a.getValuesAs(JsonObject.class)) {
                out.add(new OperationView.Step(s.getString("name"), s.getString("status"), parse(s, "started_at"),
                        parse(s, "completed_at")));
            }
        }
        return out;
    }

    private static Instant parse(JsonObject s, String key) {
        return s.containsKey(key) ? Instant.parse(s.getString(key)) : null;
    }

    private static String stepsJson(List<OperationView.Step> steps) {
        JsonArrayBuilder a = Json.createArrayBuilder();
        for (OperationView.Step s : steps) {
            JsonObjectBuilder o = Json.createObjectBuilder().add("name", s.name()).add("status", s.status());
            if (s.startedAt() != null) {
                o.add("started_at", s.startedAt().toString());
            }
            if (s.completedAt() != null) {
                o.add("completed_at", s.completedAt().toString());
            }
            a.add(o);
        }
        return a.build().toString();
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    private static String truncate(String s, int max) {
        String v = s == null ? "" : s;
        return v.length() <= max ? v : v.substring(0, max - 3) + "...";
    }
}
