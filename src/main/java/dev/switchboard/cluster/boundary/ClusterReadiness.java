package dev.switchboard.cluster.boundary;

import dev.switchboard.cluster.control.Membership;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The cluster in {@code /health/ready}: always UP, because an instance whose backplane is unreachable still serves
 * its own clients (taking it out of a load balancer would drop them for nothing); the check's data says
 * {@code degraded: true} then, and a vault alert went out. {@code members} counts the live instances, this one included.
 */
@Readiness
@ApplicationScoped
public class ClusterReadiness implements HealthCheck {

    @Inject
    Membership membership;

    @Override
    public HealthCheckResponse call() {
        boolean reachable;
        try {
            reachable = membership.reachable();
        } catch (RuntimeException e) {
            // the membership singleton is still starting (the container refuses calls until it has)
            return HealthCheckResponse.named("cluster").down().withData("starting", true).build();
        }
        return HealthCheckResponse.named("cluster").up()
                .withData("engine", membership.engineName())
                .withData("backplane", reachable ? "reachable" : "unreachable")
                .withData("degraded", !reachable)
                .withData("members", membership.others().size() + 1)
                .build();
    }
}
