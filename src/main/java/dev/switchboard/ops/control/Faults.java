package dev.switchboard.ops.control;

import dev.switchboard.ops.entity.SystemFault;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Where server-side failures worth an operator's eye are reported: logged once with an incident id and the stack
 * trace, and fired as a {@link SystemFault} (the control dialect's {@code system:error}) without the trace.
 */
@ApplicationScoped
public class Faults {

    private static final Logger LOG = Logger.getLogger(Faults.class.getName());

    @Inject
    Event<SystemFault> faults;

    /** @return the incident id, for the caller's own error answer */
    public String report(String source, String message, Throwable failure) {
        String incident = UUID.randomUUID().toString();
        LOG.log(Level.SEVERE, "ops.fault source=" + source + " incident=" + incident + " message=\"" + message + "\"", failure);
        faults.fireAsync(new SystemFault(source, message, incident, Instant.now()));
        return incident;
    }
}
