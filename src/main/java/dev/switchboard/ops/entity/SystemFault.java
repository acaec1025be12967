package dev.switchboard.ops.entity;

import java.time.Instant;

/**
 * A server-side failure worth an operator's eye (an unexpected REST error, a job that could not be launched, a
 * file that could not be written). {@code incident} matches the server log line that has the stack trace.
 */
public record SystemFault(String source, String message, String incident, Instant at) {
}
