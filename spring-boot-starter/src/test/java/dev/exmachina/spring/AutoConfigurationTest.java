package dev.exmachina.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exmachina.core.Machina;
import dev.exmachina.core.spi.GroupBackend;
import dev.exmachina.micrometer.MachinaMetrics;
import dev.exmachina.redis.RedisGroups;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * Which beans the auto-configuration makes: the bot always (unless the application has its own),
 * each optional part only when its classes and beans are present. No bot runs here
 * ({@code exmachina.autostart=false}): these tests look at the wiring.
 */
class AutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MachinaAutoConfiguration.class,
                    MachinaActuatorAutoConfiguration.class, MachinaMetricsAutoConfiguration.class,
                    MachinaRedisAutoConfiguration.class))
            .withPropertyValues("exmachina.autostart=false", "management.endpoints.web.exposure.include=exmachina");

    @Test
    void aBotItsLifecycleItsEndpointAndItsHealthAreMadeWithNothingElseConfigured() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(Machina.class).hasSingleBean(MachinaLifecycle.class)
                    .hasSingleBean(MachinaEndpoint.class).hasBean("exmachinaHealthIndicator")
                    .doesNotHaveBean(MachinaMetrics.class).doesNotHaveBean(GroupBackend.class)
                    .doesNotHaveBean(EmitLeases.class);
            assertThat(context.getBean(Machina.class).name()).isEqualTo("machina");
        });
    }

    @Test
    void theApplicationsOwnBotWins() {
        Machina own = Machina.builder().name("own").build();
        runner.withBean(Machina.class, () -> own).run(context -> {
            assertThat(context).hasSingleBean(Machina.class);
            assertThat(context.getBean(Machina.class)).isSameAs(own);
            assertThat(context.getBean(MachinaEndpoint.class).bot().name()).isEqualTo("own");
        });
    }

    @Test
    void theAnnotationsAndTheLifecycleApplyToTheApplicationsOwnBot() {
        Machina own = Machina.builder().name("own").build();
        runner.withBean(Machina.class, () -> own).withBean(Singleton.class).run(context -> {
            assertThat(own.emits()).extracting(e -> e.name()).containsExactly("tick");
            assertThat(context).hasSingleBean(MachinaLifecycle.class);
        });
    }

    @Test
    void aConfigurerRegistersOnTheBotAfterThePropertyGroups() {
        runner.withPropertyValues("exmachina.groups.first.concurrency=1")
                .withBean(MachinaConfigurer.class, () -> new MachinaConfigurer() {
                    @Override
                    public void configure(Machina.Builder builder) {
                        builder.name("configured");
                    }

                    @Override
                    public void register(Machina bot) {
                        bot.concurrentGroup("second", dev.exmachina.core.GroupLimits.concurrency(2));
                    }
                }).run(context -> {
                    Machina bot = context.getBean(Machina.class);
                    assertThat(bot.name()).isEqualTo("configured");
                    assertThat(bot.concurrentGroups()).extracting(g -> g.name()).containsExactly("first", "second");
                });
    }

    @Test
    void withoutActuatorsEndpointClassesTheContextStartsWithoutTheEndpoint() {
        runner.withClassLoader(new FilteredClassLoader(Endpoint.class)).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(Machina.class).doesNotHaveBean(MachinaEndpoint.class);
        });
    }

    @Test
    void withoutSpringBootsHealthClassesTheContextStartsWithoutTheHealthIndicator() {
        runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class)).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(Machina.class).doesNotHaveBean("exmachinaHealthIndicator");
        });
    }

    @Test
    void withARegistryTheBotsEventsBecomeMeters() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            assertThat(context).hasSingleBean(MachinaMetrics.class);
        });
    }

    @Test
    void withoutExmachinaMicrometerTheContextStartsWithoutMeters() {
        runner.withClassLoader(new FilteredClassLoader(MachinaMetrics.class))
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(Machina.class)
                            .doesNotHaveBean("machinaMetrics");
                });
    }

    @Test
    void withoutARegistryThereAreNoMeters() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(MachinaMetrics.class));
    }

    @Test
    void withAJedisClientGroupsAndSingletonEmitsAreSharedThroughRedis() {
        runner.withBean(UnifiedJedis.class, () -> RedisClient.create("127.0.0.1", 1))
                .withPropertyValues("exmachina.groups.exchange.concurrency=3", "exmachina.redis.prefix=fleet")
                .withBean(Singleton.class).run(context -> {
                    assertThat(context).hasSingleBean(RedisGroups.class).hasSingleBean(EmitLeases.class);
                    assertThat(context.getBean(RedisGroups.class).prefix()).isEqualTo("fleet");
                    Machina bot = context.getBean(Machina.class);
                    // registered with the Redis backend: a shared group, not an in-memory one
                    assertThat(bot.concurrentGroups().getFirst().getClass().getName())
                            .isEqualTo("dev.exmachina.redis.RedisGroup");
                    assertThat(String.valueOf(bot.emits().getFirst().options().singleton()))
                            .startsWith("Redis lease 'tick'");
                });
    }

    @Test
    void withSharingOffTheGroupsStayInMemory() {
        runner.withBean(UnifiedJedis.class, () -> RedisClient.create("127.0.0.1", 1))
                .withPropertyValues("exmachina.redis.enabled=false", "exmachina.groups.exchange.concurrency=3")
                .run(context -> {
                    assertThat(context).doesNotHaveBean(RedisGroups.class).doesNotHaveBean(EmitLeases.class);
                    assertThat(context.getBean(Machina.class).concurrentGroups().getFirst().getClass().getName())
                            .isNotEqualTo("dev.exmachina.redis.RedisGroup");
                });
    }

    @Test
    void withoutExmachinaRedisTheContextStartsWithGroupsInMemory() {
        runner.withClassLoader(new FilteredClassLoader(RedisGroups.class))
                .withBean(UnifiedJedis.class, () -> RedisClient.create("127.0.0.1", 1))
                .withPropertyValues("exmachina.groups.exchange.concurrency=3").run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(GroupBackend.class)
                            .doesNotHaveBean(EmitLeases.class);
                });
    }

    /** A singleton emit, shared by a fleet when leases are. */
    static class Singleton {
        @Emit(name = "tick", every = "1s", singleton = true)
        void tick() {}
    }
}
