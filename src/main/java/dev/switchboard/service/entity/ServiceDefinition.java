package dev.switchboard.service.entity;

/** What a client sends to create or replace a service, already validated; JSON fields as canonical text. */
public record ServiceDefinition(String name, String description, ServiceType type, ServiceStatus status,
                                String configJson, String capabilitiesJson, String interfacesJson, Pricing pricing) {
}
