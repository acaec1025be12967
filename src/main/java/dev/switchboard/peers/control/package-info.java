/** The peer registry (instances from membership events, registered peers), the blacklist, relay records and their periodic publication. */
package dev.switchboard.peers.control;
