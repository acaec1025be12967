package dev.switchboard.operation.control;

import dev.switchboard.operation.entity.ErrorCode;
import dev.switchboard.operation.entity.OperationEvent;
import dev.switchboard.operation.entity.OperationFailure;
import dev.switchboard.operation.entity.OperationKind.Family;
import dev.switchboard.operation.entity.OperationRequest;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * One operation while it is queued or running: its request, its folders, its bounded log, how to stop what it
 * runs (a cancel or its time limit call every registered stop action once), and the one door its events leave
 * by, so that they reach observers in the order they happened even when a queue hand-off or the output
 * flusher is involved.
 */
final class OperationRun {

    final String id;
    final OperationRequest request;
    final String owner;
    final boolean admin;
    /** The real repository URL, credentials included (stored and shown only masked). */
    final String repoUrl;
    final Path workDir;
    final BoundedLog log;
    private final Consumer<OperationEvent> events;
    private final StepStore steps;
    private String step = "";
    private final List<Runnable> stops = new CopyOnWriteArrayList<>();
    private volatile ErrorCode stopReason;
    private volatile boolean ending;
    /** Who cancelled it, or why it was interrupted. */
    private volatile String stopDetail = "";

    /** Stores a step the operation enters (with the log so far), before its progress is told. */
    interface StepStore {
        void entered(OperationRun run, String step, String message, double percentage);
    }

    OperationRun(String id, OperationRequest request, String owner, boolean admin, String repoUrl, Path workDir,
                 int logMaxChars, Consumer<OperationEvent> events, StepStore steps) {
        this.id = id;
        this.request = request;
        this.owner = owner;
        this.admin = admin;
        this.repoUrl = repoUrl;
        this.workDir = workDir;
        this.log = new BoundedLog(logMaxChars);
        this.events = events;
        this.steps = steps;
    }

    Family family() {
        return request.kind().family();
    }

    synchronized void fire(OperationEvent event) {
        events.accept(event);
    }

    /** Progress within a step; the first of a step stores it. */
    synchronized void progress(String step, String message, double percentage, String stream) {
        if (!step.equals(this.step)) {
            this.step = step;
            steps.entered(this, step, message, percentage);
        }
        fire(new OperationEvent.Progressed(id, family(), message, percentage, step, stream));
    }

    /** Registers what stops the running child process, clone or Engine stream; runs it at once if stopped already. */
    void onStop(Runnable stop) {
        stops.add(stop);
        if (stopReason != null) {
            stop.run();
        }
    }

    void removeStop(Runnable stop) {
        stops.remove(stop);
    }

    /**
     * A cancel ({@code CANCELLED}, {@code detail} who cancelled), the time limit ({@code TIMEOUT}) or the loss of its
     * lease ({@code INTERRUPTED}, {@code detail} the error to store); the first reason stays.
     */
    void stop(ErrorCode reason, String detail) {
        stop(reason, detail, Runnable::run);
    }

    /**
     * As {@link #stop(ErrorCode, String)}, the reason set at once but the stop actions (which wait for a builder to
     * go, up to {@code ops.stop-grace-seconds}) run by {@code actions}: for a caller that must not wait.
     */
    void stop(ErrorCode reason, String detail, Executor actions) {
        synchronized (stops) {
            if (stopReason != null) {
                return;
            }
            stopDetail = detail;
            stopReason = reason;
        }
        actions.execute(() -> {
            for (Runnable s : stops) {
                try {
                    s.run();
                } catch (RuntimeException e) {
                    java.util.logging.Logger.getLogger(OperationRun.class.getName())
                            .fine(() -> "ops.stop-action-failed operation=" + id + " reason=" + e);
                }
            }
        });
    }

    /** Its end (completed or error) is being stored now: a refused change from here on is no news. */
    void ending() {
        ending = true;
    }

    boolean isEnding() {
        return ending;
    }

    boolean stopping() {
        return stopReason != null;
    }

    /** Throws the stop's failure when the operation was cancelled or ran out of time. */
    void check() throws OperationFailure {
        if (stopReason != null) {
            throw stopped();
        }
    }

    OperationFailure stopped() {
        return switch (stopReason) {
            case TIMEOUT -> new OperationFailure(ErrorCode.TIMEOUT, "Timed out after " + request.timeoutSeconds() + " s");
            case INTERRUPTED -> new OperationFailure(ErrorCode.INTERRUPTED, stopDetail);
            default -> new OperationFailure(ErrorCode.CANCELLED, "Cancelled" + (stopDetail.isEmpty() ? "" : " by " + stopDetail));
        };
    }
}
