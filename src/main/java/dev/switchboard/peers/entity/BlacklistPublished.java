package dev.switchboard.peers.entity;

import java.util.List;

/** The periodic (and after-change) list of blacklist entries in force. */
public record BlacklistPublished(List<BlockView> entries) {
}
