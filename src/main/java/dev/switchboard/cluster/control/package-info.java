/** This instance's own membership: announced at start, heartbeats on a timer, goodbye at shutdown. */
package dev.switchboard.cluster.control;
