package dev.switchboard.workflow.control;

import dev.switchboard.workflow.entity.ExecutionChanged;
import dev.switchboard.workflow.entity.WorkflowsPublished;

import dev.switchboard.common.Debounce;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Publishes the workflow list every {@code workflow.push.interval-seconds} and, debounced by
 * {@code workflow.push.debounce-ms}, soon after a workflow or an execution status changes. Not persistent.
 */
@Singleton
@Startup
@DependsOn("SchemaMigrator")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class WorkflowsPublisher {

    private static final Logger LOG = Logger.getLogger(WorkflowsPublisher.class.getName());

    @Resource
    TimerService timers;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    WorkflowRegistry registry;

    @Inject
    Event<WorkflowsPublished> published;

    @Inject
    @ConfigProperty(name = "workflow.push.interval-seconds", defaultValue = "15")
    long intervalSeconds;

    @Inject
    @ConfigProperty(name = "workflow.push.debounce-ms", defaultValue = "250")
    long debounceMillis;

    private Debounce soon;

    @PostConstruct
    void schedule() {
        soon = new Debounce(scheduler, debounceMillis, this::publish);
        long ms = intervalSeconds * 1000;
        timers.createIntervalTimer(ms, ms, new TimerConfig("workflow.push", false));
    }

    @Timeout
    void periodic() {
        publish();
    }

    public void onWorkflowChange(@Observes(during = TransactionPhase.AFTER_SUCCESS) WorkflowRegistry.WorkflowChanged change) {
        soon.trigger();
    }

    public void onExecutionChange(@Observes ExecutionChanged change) {
        soon.trigger();
    }

    public void publish() {
        try {
            published.fireAsync(new WorkflowsPublished(registry.list()));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "workflow.push.failed", e);
        }
    }
}
