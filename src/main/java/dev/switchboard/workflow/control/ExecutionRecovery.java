package dev.switchboard.workflow.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * At start-up, resumes every execution the previous run left pending or running (a crash, {@code kill -9}).
 * The batch job of the dead run is left as the repository recorded it; a new job instance carries on from the
 * stored job states, so completed jobs are not run again. The list is taken during deployment (so it holds only
 * executions of the previous run); they are launched shortly after, when the Batch runtime is up.
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
        // taken now, during deployment, before any request can start a new execution
        List<Long> interrupted = store.unfinished();
        if (!interrupted.isEmpty()) {
            scheduler.schedule(() -> resume(interrupted), 2, TimeUnit.SECONDS);
        }
    }

    void resume(List<Long> interrupted) {
        for (Long id : interrupted) {
            try {
                launcher.launch(id);
                LOG.info(() -> "workflow.execution.resumed execution=" + id);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "workflow.execution.resume-failed execution=" + id, e);
            }
        }
    }
}
