package dev.switchboard.workflow.control;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The stop actions of one execution's running jobs (a process, a container). Stopping is sticky: a job that
 * registers after {@link #stopAll()} (its process or container was still being prepared, an image still being
 * pulled) is stopped as it registers, so a cancel never waits for a job that started just too late.
 */
public final class RunningJobs {

    private final Set<Runnable> stops = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    /** Registers a job's stop action; runs it at once when the execution is already stopping. */
    public void add(Runnable stop) {
        stops.add(stop);
        // either stopAll() sees it in the set or this sees stopping: whoever removes it runs it, exactly once
        if (stopping && stops.remove(stop)) {
            stop.run();
        }
    }

    public void remove(Runnable stop) {
        stops.remove(stop);
    }

    public boolean stopping() {
        return stopping;
    }

    /** Stops every running job and every job that registers from now on. */
    public void stopAll() {
        stopping = true;
        for (Runnable stop : stops) {
            if (stops.remove(stop)) {
                stop.run();
            }
        }
    }
}
