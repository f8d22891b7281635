/**
 * Runs an Ex-Machina bot inside a Spring Boot application: a {@link dev.exmachina.core.Machina}
 * bean started and stopped with the context, {@link dev.exmachina.spring.Emit @Emit} and
 * {@link dev.exmachina.spring.Execute @Execute} on bean methods, {@link MachinaConfigurer} beans for
 * everything else, {@code exmachina.*} properties ({@link MachinaProperties}), and, when they are on
 * the class path, an Actuator endpoint and health indicator, Micrometer meters and groups shared
 * through Redis.
 */
@NullMarked
package dev.exmachina.spring;

import org.jspecify.annotations.NullMarked;
