package dev.switchboard.service.control;

import dev.switchboard.service.entity.ServiceChanged;
import dev.switchboard.service.entity.ServicesPublished;

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
 * Publishes the service list every {@code service.push.interval-seconds} and, debounced, soon after changes:
 * the first change schedules one publication {@code service.push.debounce-ms} later and the changes that follow
 * ride along, so a thousand changes in a second give a handful of publications. Not persistent.
 */
@Singleton
@Startup
@DependsOn("SchemaMigrator")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class ServicesPublisher {

    private static final Logger LOG = Logger.getLogger(ServicesPublisher.class.getName());

    @Resource
    TimerService timers;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    ServiceRegistry registry;

    @Inject
    Event<ServicesPublished> published;

    @Inject
    @ConfigProperty(name = "service.push.interval-seconds", defaultValue = "15")
    long intervalSeconds;

    @Inject
    @ConfigProperty(name = "service.push.debounce-ms", defaultValue = "250")
    long debounceMillis;

    private Debounce soon;

    @PostConstruct
    void schedule() {
        soon = new Debounce(scheduler, debounceMillis, this::publish);
        long ms = intervalSeconds * 1000;
        timers.createIntervalTimer(ms, ms, new TimerConfig("service.push", false));
    }

    @Timeout
    void periodic() {
        publish();
    }

    public void onChange(@Observes(during = TransactionPhase.AFTER_SUCCESS) ServiceChanged change) {
        soon.trigger();
    }

    public void publish() {
        try {
            published.fireAsync(new ServicesPublished(registry.list()));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "service.push.failed", e);
        }
    }
}
