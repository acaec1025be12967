package dev.switchboard.service.entity;

import java.util.List;

/** The full list of this node's services, published periodically and soon after changes. */
public record ServicesPublished(List<ServiceView> services) {
}
