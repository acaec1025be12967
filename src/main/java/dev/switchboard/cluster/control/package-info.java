/**
 * This instance as a cluster member: its own announcements, the engine (in-memory or Redis) and the bus over it,
 * membership from heartbeats, presence over every instance, and the relay of encoded frames.
 */
package dev.switchboard.cluster.control;
