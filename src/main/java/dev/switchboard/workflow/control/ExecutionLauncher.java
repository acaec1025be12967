package dev.switchboard.workflow.control;

import dev.switchboard.workflow.entity.ExecutionView;

import jakarta.batch.operations.JobExecutionNotRunningException;
import jakarta.batch.operations.JobOperator;
import jakarta.batch.operations.NoSuchJobExecutionException;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.inject.Inject;

import java.util.Optional;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts and stops workflow executions as Jakarta Batch jobs: one execution, one job instance of
 * {@value #JOB} (META-INF/batch-jobs/workflow-execution.xml) with the execution id as its parameter.
 * <p>
 * An EJB with bean-managed transactions on purpose: the Batch runtime's job thread inherits the invocation
 * context of whoever called {@code start}, and under a container-managed-transaction EJB (an observer or timer
 * up the stack) its lookup of {@code java:comp/UserTransaction} is refused and the job fails before its step.
 */
@Stateless
@TransactionManagement(TransactionManagementType.BEAN)
public class ExecutionLauncher {

    public static final String JOB = "workflow-execution";
    public static final String EXECUTION_ID = "executionId";
    private static final Logger LOG = Logger.getLogger(ExecutionLauncher.class.getName());

    @Inject
    ExecutionStore store;

    @Inject
    ExecutionEvents events;

    @Inject
    dev.switchboard.ops.control.Faults faults;

    @Inject
    ExecutionLeases leases;

    /**
     * Starts (or, after a crash or a takeover, resumes) the run of an execution this member owns: it created it, took
     * it over or reclaimed it, and from now on renews its lease; completed jobs are never run again.
     */
    public void launch(long executionId) {
        leases.hold(executionId);
        Properties parameters = new Properties();
        parameters.setProperty(EXECUTION_ID, String.valueOf(executionId));
        long batchId;
        try {
            batchId = operator().start(JOB, parameters);
        } catch (RuntimeException e) {
            faults.report("workflow", "Could not start the batch job of execution " + executionId, e);
            events.execution(executionId, dev.switchboard.workflow.entity.ExecutionStatus.FAILED,
                    "Could not start the batch job: " + e.getMessage(), "");
            leases.released(executionId);
            return;
        }
        store.runBy(executionId, batchId);
        LOG.info(() -> "workflow.execution.launched execution=" + executionId + " batch=" + batchId);
    }

    /**
     * Asks the running job to stop; the batchlet ends the execution as cancelled. Empty when already finished. The
     * request is stored, and the owner's batchlet reads it within half a second wherever it runs; when the owner is
     * this member its Batch job is also stopped at once. A Batch execution id is only stopped here when the execution
     * runs here: the job repository is shared, and stopping another member's job from here would only mark it.
     */
    public Optional<ExecutionView> cancel(long executionId) {
        Optional<ExecutionView> execution = store.requestCancel(executionId);
        Long batchId = execution.isPresent() && leases.runsHere(executionId) ? store.batchExecutionId(executionId) : null;
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
