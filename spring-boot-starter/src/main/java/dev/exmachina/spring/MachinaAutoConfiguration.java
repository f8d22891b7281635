package dev.exmachina.spring;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.BotListener;
import dev.exmachina.core.Machina;
import dev.exmachina.core.spi.GroupBackend;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The bot as a bean: a {@link Machina} made from the {@code exmachina.*} properties, the context's
 * {@link BotClock}, {@link BotListener}s and {@link GroupBackend} when it has them, and its
 * {@link MachinaConfigurer}s; its {@link Emit @Emit} and {@link Execute @Execute} methods; and a
 * {@link MachinaLifecycle} that runs it with the context. A {@code Machina} bean of the application's
 * own replaces the one made here; the annotations and the lifecycle then apply to it.
 */
@AutoConfiguration
@EnableConfigurationProperties(MachinaProperties.class)
public final class MachinaAutoConfiguration {

    private static final String PHASE_TIMEOUT = "spring.lifecycle.timeout-per-shutdown-phase";

    /** Made by Spring. */
    public MachinaAutoConfiguration() {}

    /**
     * What the starter's bot has done lately, for the Actuator endpoint and health.
     *
     * @return a listener the bot reports to
     */
    @Bean
    @ConditionalOnMissingBean
    public MachinaStatus machinaStatus() {
        return new MachinaStatus();
    }

    /**
     * The bot: groups from the properties, then what the configurers register.
     *
     * @param properties the {@code exmachina.*} properties
     * @param clock the context's clock, if it has exactly one (a {@code VirtualClock} in tests)
     * @param listeners every listener bean, in order (the status, Micrometer's meters, the application's)
     * @param backend the context's group backend, if it has exactly one (Redis when sharing is on)
     * @param configurers the application's configurers, in order
     * @return the bot, not running yet
     * @throws IllegalStateException if a group's properties are out of range, naming the group
     */
    @Bean
    @ConditionalOnMissingBean
    public Machina machina(MachinaProperties properties, ObjectProvider<BotClock> clock,
            ObjectProvider<BotListener> listeners, ObjectProvider<GroupBackend> backend,
            ObjectProvider<MachinaConfigurer> configurers) {
        Machina.Builder builder = Machina.builder().name(properties.getName()).gracePeriod(properties.getGracePeriod());
        clock.ifUnique(builder::clock);
        listeners.orderedStream().forEach(builder::listener);
        backend.ifUnique(builder::groupBackend);
        configurers.orderedStream().forEach(c -> c.configure(builder));
        Machina bot = builder.build();
        properties.getGroups().forEach((name, group) -> {
            try {
                bot.concurrentGroup(name, group.toLimits());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("exmachina.groups." + name + ": " + e.getMessage(), e);
            }
        });
        configurers.orderedStream().forEach(c -> c.register(bot));
        return bot;
    }

    /**
     * Runs the bot with the context.
     *
     * @param bot the context's bot, the starter's or the application's
     * @param properties the grace period and autostart
     * @param environment to read {@value #PHASE_TIMEOUT}
     * @return the lifecycle
     * @throws IllegalStateException if the grace period is more than half the shutdown phase's timeout
     */
    @Bean
    @ConditionalOnMissingBean
    public MachinaLifecycle machinaLifecycle(Machina bot, MachinaProperties properties, Environment environment) {
        Duration phase = Binder.get(environment).bind(PHASE_TIMEOUT, Duration.class).orElse(Duration.ofSeconds(30));
        Duration grace = properties.getGracePeriod();
        if (grace.isNegative() || grace.multipliedBy(2).compareTo(phase) > 0) {
            throw new IllegalStateException("exmachina.grace-period (" + grace + ") must be between 0 and half of "
                    + PHASE_TIMEOUT + " (" + phase + "): a stop waits the grace period for iterations to end, then"
                    + " up to as long again for what it cancelled. Lower exmachina.grace-period or raise " + PHASE_TIMEOUT);
        }
        return new MachinaLifecycle(bot, grace, properties.isAutostart());
    }

    /**
     * Registers the {@link Emit @Emit} and {@link Execute @Execute} methods of the context's beans.
     *
     * @return the post-processor; static, so it is made before the beans it looks at
     */
    @Bean
    static AnnotatedMethods exmachinaAnnotatedMethods() {
        return new AnnotatedMethods();
    }
}
