package dev.switchboard.workflow.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;

import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * At start-up, resumes every execution the previous run left pending or running (a crash, {@code kill -9}).
 * The batch job of the dead run is left as the repository recorded it; a new job instance carries on from the
 * stored job states, so completed jobs are not run again. Shortly after start, so that the Batch runtime is up.
 */
@Singleton
@Startup
@DependsOn("SchemaMigrator")
public class ExecutionRecovery {

    private static final Logger LOG = Logger.getLogger(ExecutionRecovery.class.getName());

    @Inject
    ExecutionStore store;

    @Inject
    ExecutionLauncher launcher;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @PostConstruct
    void schedule() {
        scheduler.schedule(this::resume, 2, TimeUnit.SECONDS);
    }

    void resume() {
        for (Long id : store.unfinished()) {
            try {
                launcher.launch(id);
                LOG.info(() -> "workflow.execution.resumed execution=" + id);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "workflow.execution.resume-failed execution=" + id, e);
            }
        }
    }
}
