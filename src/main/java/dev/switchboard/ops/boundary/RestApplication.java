package dev.switchboard.ops.boundary;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** Every JAX-RS resource lives under {@code /api}. */
@ApplicationPath("/api")
public class RestApplication extends Application {
}
