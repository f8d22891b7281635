package dev.exmachina.spring;

import dev.exmachina.core.Machina;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Actuator, when it is on the class path: the {@code exmachina} endpoint ({@link MachinaEndpoint})
 * and the {@code exmachina} health indicator ({@link MachinaHealthIndicator}), each only when its
 * part of Actuator is present, and each can be turned off as usual
 * ({@code management.endpoint.exmachina.enabled}, {@code management.health.exmachina.enabled}).
 */
@AutoConfiguration(after = MachinaAutoConfiguration.class)
@ConditionalOnBean(Machina.class)
public final class MachinaActuatorAutoConfiguration {

    /** Made by Spring. */
    public MachinaActuatorAutoConfiguration() {}

    /** The endpoint, when Actuator's endpoint support is present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
    static final class EndpointConfiguration {
        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnAvailableEndpoint
        MachinaEndpoint machinaEndpoint(Machina bot, MachinaStatus status, ObjectProvider<MachinaLifecycle> lifecycle) {
            return new MachinaEndpoint(bot, status, lifecycle.getIfUnique());
        }
    }

    /** The health indicator, when Spring Boot's health support is present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
    static final class HealthConfiguration {
        @Bean
        @ConditionalOnMissingBean(name = "exmachinaHealthIndicator")
        @ConditionalOnEnabledHealthIndicator("exmachina")
        HealthIndicator exmachinaHealthIndicator(Machina bot, ObjectProvider<MachinaLifecycle> lifecycle,
                MachinaProperties properties) {
            return new MachinaHealthIndicator(bot, lifecycle.getIfUnique(), properties.getHealth());
        }
    }
}
