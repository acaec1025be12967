package dev.switchboard.peers.entity;

import java.util.List;

/** The periodic (and after-change) list of known peers, blacklisted ones and this instance left out. */
public record PeersPublished(List<PeerView> peers) {
}
