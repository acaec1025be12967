package dev.switchboard.hub.control;

import dev.switchboard.hub.boundary.Hub;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;

/**
 * Server-side keep-alive for every dialect: a ping after {@code hub.ping.interval-seconds} of quiet,
 * a close after {@code hub.pong.timeout-seconds} without any frame or pong. Sweeps once a second.
 * Not persistent: the connections it looks after do not survive a restart either.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class KeepAlive {

    @Resource
    TimerService timers;

    @Inject
    Hub hub;

    @Inject
    @ConfigProperty(name = "hub.ping.interval-seconds", defaultValue = "54")
    long pingIntervalSeconds;

    @Inject
    @ConfigProperty(name = "hub.pong.timeout-seconds", defaultValue = "60")
    long pongTimeoutSeconds;

    @PostConstruct
    void schedule() {
        timers.createIntervalTimer(1000, 1000, new TimerConfig("hub.keepalive", false));
    }

    @Timeout
    void sweep() {
        hub.keepAlive(Duration.ofSeconds(pingIntervalSeconds), Duration.ofSeconds(pongTimeoutSeconds));
    }
}
