package dev.switchboard.auth.boundary;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A REST method anyone may call without a token. (Our own annotation, not {@code @PermitAll}: Payara turns the
 * {@code jakarta.annotation.security} ones into container constraints that answer before our filter does.)
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Public {
}
