package dev.switchboard.service.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

import java.math.BigDecimal;

/** What a service costs: amount per type (e.g. PER_EXECUTION), interval and unit. */
@Embeddable
public class Pricing {

    @Column(name = "pricing_amount", nullable = false)
    private BigDecimal amount = BigDecimal.ZERO;

    @Column(name = "pricing_type", nullable = false)
    private String type = "FREE";

    @Column(name = "pricing_interval", nullable = false)
    private long interval;

    @Column(name = "pricing_unit", nullable = false)
    private String unit = "";

    protected Pricing() {
        // JPA
    }

    public Pricing(BigDecimal amount, String type, long interval, String unit) {
        this.amount = amount;
        this.type = type;
        this.interval = interval;
        this.unit = unit;
    }

    public BigDecimal amount() {
        return amount;
    }

    public String type() {
        return type;
    }

    public long interval() {
        return interval;
    }

    public String unit() {
        return unit;
    }
}
