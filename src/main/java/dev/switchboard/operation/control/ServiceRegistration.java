package dev.switchboard.operation.control;

import dev.switchboard.common.JsonText;
import dev.switchboard.service.control.ServiceRegistry;
import dev.switchboard.service.entity.Pricing;
import dev.switchboard.service.entity.ServiceDefinition;
import dev.switchboard.service.entity.ServiceStatus;
import dev.switchboard.service.entity.ServiceType;
import dev.switchboard.service.entity.ServiceView;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.transaction.Transactional;

import java.math.BigDecimal;

/**
 * What an operation ends with: its service created {@code ACTIVE}, or, when one of that name exists, updated:
 * type, the config keys the operation owns ({@code image}; {@code executable} and {@code source}) and the status
 * change, everything else (description, pricing, other config keys, interfaces a user set) is kept.
 */
@ApplicationScoped
public class ServiceRegistration {

    @Inject
    ServiceRegistry registry;

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public ServiceView register(String name, String description, ServiceType type, JsonObject ownedConfig, JsonArray interfaces) {
        var existing = registry.findByName(name);
        if (existing.isEmpty()) {
            return registry.create(new ServiceDefinition(name, description, type, ServiceStatus.ACTIVE, ownedConfig.toString(), "{}",
                    interfaces.toString(), new Pricing(BigDecimal.ZERO, "FREE", 0, "")));
        }
        ServiceView s = existing.get();
        JsonObjectBuilder config = JsonText.object();
        if (s.type() == type && JsonText.parse(s.configJson()) instanceof JsonObject old) {
            old.forEach(config::add);
        }
        ownedConfig.forEach(config::add);
        boolean noInterfaces = JsonText.parse(s.interfacesJson()) instanceof JsonArray a && a.isEmpty();
        return registry.replace(s.id(), new ServiceDefinition(name, description.isEmpty() ? s.description() : description, type,
                ServiceStatus.ACTIVE, config.build().toString(), s.capabilitiesJson(),
                noInterfaces || s.type() != type ? interfaces.toString() : s.interfacesJson(),
                new Pricing(s.pricingAmount(), s.pricingType(), s.pricingInterval(), s.pricingUnit()))).orElseThrow();
    }
}
