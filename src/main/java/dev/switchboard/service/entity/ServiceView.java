package dev.switchboard.service.entity;

import java.math.BigDecimal;
import java.time.Instant;

/** An immutable snapshot of a service, for REST, pushes and search: what leaves the domain instead of the entity. */
public record ServiceView(long id, String name, String description, ServiceType type, ServiceStatus status,
                          String configJson, String capabilitiesJson, String interfacesJson,
                          BigDecimal pricingAmount, String pricingType, long pricingInterval, String pricingUnit,
                          Instant createdAt, Instant updatedAt) {
}
