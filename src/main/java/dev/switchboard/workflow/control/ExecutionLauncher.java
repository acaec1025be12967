package dev.switchboard.workflow.control;

import dev.switchboard.workflow.entity.ExecutionView;

import jakarta.batch.operations.JobExecutionNotRunningException;
import jakarta.batch.operations.JobOperator;
import jakarta.batch.operations.NoSuchJobExecutionException;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Optional;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts and stops workflow executions as Jakarta Batch jobs: one execution, one job instance of
 * {@value #JOB} (META-INF/batch-jobs/workflow-execution.xml) with the execution id as its parameter.
 */
@ApplicationScoped
public class ExecutionLauncher {

    public static final String JOB = "workflow-execution";
    public static final String EXECUTION_ID = "executionId";
    private static final Logger LOG = Logger.getLogger(ExecutionLauncher.class.getName());

    @Inject
    ExecutionStore store;

    /** Starts (or, after a crash, resumes) the run of an execution; completed jobs are never run again. */
    public void launch(long executionId) {
        Properties parameters = new Properties();
        parameters.setProperty(EXECUTION_ID, String.valueOf(executionId));
        long batchId = operator().start(JOB, parameters);
        store.runBy(executionId, batchId);
        LOG.info(() -> "workflow.execution.launched execution=" + executionId + " batch=" + batchId);
    }

    /** Asks the running job to stop; the batchlet ends the execution as cancelled. Empty when already finished. */
    public Optional<ExecutionView> cancel(long executionId) {
        Optional<ExecutionView> execution = store.requestCancel(executionId);
        Long batchId = execution.isPresent() ? store.batchExecutionId(executionId) : null;
        if (batchId != null) {
            try {
                operator().stop(batchId);
            } catch (NoSuchJobExecutionException | JobExecutionNotRunningException e) {
                LOG.log(Level.FINE, "workflow.execution.stop: batch job not running, execution=" + executionId, e);
            }
        }
        return execution;
    }

    static JobOperator operator() {
        return BatchRuntime.getJobOperator();
    }
}
