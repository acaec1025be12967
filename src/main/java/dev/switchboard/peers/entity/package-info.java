/** Peers, blacklist entries and relay records: JPA entities, their views and the peers domain's events. */
package dev.switchboard.peers.entity;
