/** The protocol-independent hub: connect, publish already-encoded frames, disconnect. */
package dev.switchboard.hub.boundary;
