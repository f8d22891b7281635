package dev.exmachina.spring;

import dev.exmachina.micrometer.MachinaMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer, when {@code exmachina-micrometer} is on the class path and the context has a
 * {@link MeterRegistry}: the bot's events become meters ({@link MachinaMetrics}, a listener the bot
 * picks up like any {@code BotListener} bean).
 */
@AutoConfiguration(before = MachinaAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass({MachinaMetrics.class, MeterRegistry.class})
@ConditionalOnBean(MeterRegistry.class)
public final class MachinaMetricsAutoConfiguration {

    /** Made by Spring. */
    public MachinaMetricsAutoConfiguration() {}

    /**
     * The bot's meters.
     *
     * @param registry the context's registry
     * @return a listener that records the bot's events in {@code registry}
     */
    @Bean
    @ConditionalOnMissingBean
    public MachinaMetrics machinaMetrics(MeterRegistry registry) {
        return new MachinaMetrics(registry);
    }
}
