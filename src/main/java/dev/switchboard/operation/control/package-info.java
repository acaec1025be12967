/** Runs operations off the socket and request threads: the queue, git, builders, the Docker Engine, recovery at start-up. */
package dev.switchboard.operation.control;
