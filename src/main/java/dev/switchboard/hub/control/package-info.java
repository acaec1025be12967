/** The hub's machinery: connection registry, bounded outbound queues, counters, keep-alive. */
package dev.switchboard.hub.control;
