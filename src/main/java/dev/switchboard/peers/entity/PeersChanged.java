package dev.switchboard.peers.entity;

/** Something a peers list shows changed (a registered peer, a blacklist entry, an instance came or went). */
public record PeersChanged(boolean blacklist) {
}
