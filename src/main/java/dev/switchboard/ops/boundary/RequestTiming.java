package dev.switchboard.ops.boundary;

import dev.switchboard.ops.control.RequestStats;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;

/** Times every REST request from matching to response, into {@link RequestStats}. */
@Provider
@PreMatching
public class RequestTiming implements ContainerRequestFilter, ContainerResponseFilter {

    private static final String STARTED = RequestTiming.class.getName() + ".started";

    @Inject
    RequestStats stats;

    @Override
    public void filter(ContainerRequestContext request) {
        request.setProperty(STARTED, System.nanoTime());
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getProperty(STARTED) instanceof Long started) {
            stats.record(System.nanoTime() - started);
        }
    }
}
