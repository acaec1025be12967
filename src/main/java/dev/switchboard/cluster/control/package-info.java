/**
 * This instance as a cluster member: its own announcements, the engine (in-memory or Redis) and the bus over it,
 * membership from heartbeats, presence over every instance, the relay of encoded frames, and the leases (in
 * {@code sb_lease}, and the thread that renews and sweeps the leases on rows of work a member runs).
 */
package dev.switchboard.cluster.control;
