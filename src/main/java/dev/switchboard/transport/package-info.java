/** The WebSocket container behind the hub's Transport port: the session adapter and the container adapter chosen at start-up. */
package dev.switchboard.transport;
