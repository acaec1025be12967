/** Operations endpoints: health checks, the JAX-RS application. */
package dev.switchboard.ops.boundary;
