package dev.exmachina.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exmachina.testkit.VirtualClock;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.SmartLifecycle;

/**
 * The bot runs with the context: started when it starts, stopped gracefully when it closes. Every
 * test runs the bot on a {@link VirtualClock} bean, so times are exact and nothing waits for real.
 */
class LifecycleTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MachinaAutoConfiguration.class))
            .withUserConfiguration(Bots.VirtualClockConfig.class);

    @ParameterizedTest(name = "spring.threads.virtual.enabled={0}")
    @ValueSource(booleans = {true, false})
    void twoFixedDelayEmitsRunAtTheSameTimeWhateverSpringsThreadsAre(boolean virtualThreads) {
        runner.withPropertyValues("spring.threads.virtual.enabled=" + virtualThreads)
                .withBean(Bots.TwoSlowEmits.class).run(context -> {
                    VirtualClock clock = context.getBean(VirtualClock.class);
                    Bots.TwoSlowEmits bot = context.getBean(Bots.TwoSlowEmits.class);

                    clock.advance(Duration.ofSeconds(10));

                    // each iteration takes 1 s and waits 1 s after it: iterations end at 1, 3, 5, 7, 9 s
                    assertThat(bot.iterations).containsExactlyInAnyOrder("a1", "b1", "a2", "b2", "a3", "b3",
                            "a4", "b4", "a5", "b5");
                    assertThat(bot.mostInside).as("iterations of both emits running at once").hasValue(2);
                });
    }

    @Test
    void theBotRunsWhenTheContextStartsInAPhaseAboveTheWebServers() {
        runner.withBean(Bots.TwoSlowEmits.class).run(context -> {
            MachinaLifecycle lifecycle = context.getBean(MachinaLifecycle.class);
            assertThat(lifecycle.isRunning()).isTrue();
            assertThat(lifecycle.getPhase()).isEqualTo(SmartLifecycle.DEFAULT_PHASE - 512);
        });
    }

    @Test
    void closingTheContextLetsTheCurrentIterationFinishAndStartsNoOther() {
        runner.withBean(Bots.LongIterations.class,
                () -> new Bots.LongIterations(Duration.ofSeconds(5))).run(context -> {
                    VirtualClock clock = context.getBean(VirtualClock.class);
                    clock.advance(Duration.ofSeconds(2));
                    Bots.LongIterations bot = context.getBean(Bots.LongIterations.class);
                    MachinaLifecycle lifecycle = context.getBean(MachinaLifecycle.class);
                    assertThat(bot.events).hasSize(1);

                    context.close();   // stop() waits on the bot's clock: time moves while it waits

                    assertThat(bot.events).containsExactly("start 1 at +0s", "end 1 at +5s");
                    assertThat(lifecycle.isRunning()).isFalse();
                });
    }

    @Test
    void anIterationThatOutlastsTheGracePeriodIsCancelledWithinTwiceIt() {
        runner.withPropertyValues("exmachina.grace-period=2s")
                .withBean(Bots.LongIterations.class,
                        () -> new Bots.LongIterations(Duration.ofHours(1))).run(context -> {
                    VirtualClock clock = context.getBean(VirtualClock.class);
                    clock.advance(Duration.ofSeconds(1));
                    Bots.LongIterations bot = context.getBean(Bots.LongIterations.class);

                    context.close();

                    // stop() waits 2 s for the iteration, close() 2 s more, then cancels it
                    assertThat(bot.events).containsExactly("start 1 at +0s", "interrupted 1 at +5s");
                    assertThat(clock.elapsed()).isEqualTo(Duration.ofSeconds(5));
                });
    }

    @Test
    void aGracePeriodLongerThanHalfTheShutdownPhaseFailsTheStartNamingBothProperties() {
        runner.withPropertyValues("exmachina.grace-period=20s", "spring.lifecycle.timeout-per-shutdown-phase=30s")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .hasMessageContaining("exmachina.grace-period (PT20S)")
                            .hasMessageContaining("spring.lifecycle.timeout-per-shutdown-phase (PT30S)");
                });
    }

    /** An hourly emit on the real clock: its first iteration at once, the next an hour later. */
    static class Hourly {
        @Emit(name = "hourly", every = "1h")
        void hourly() {}
    }

    @Test
    void onTheSystemClockTheRunKeepsTheJvmUpUntilTheContextCloses() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(MachinaAutoConfiguration.class))
                .withPropertyValues("exmachina.name=keeper").withBean(Hourly.class).run(context -> {
                    Thread runner = Thread.getAllStackTraces().keySet().stream()
                            .filter(t -> t.getName().equals("keeper-run")).findFirst().orElseThrow();
                    assertThat(runner.isDaemon()).isFalse();
                    assertThat(runner.isVirtual()).isFalse();

                    context.close();   // the emit waits its hour: the stop ends that wait

                    runner.join(Duration.ofSeconds(10));
                    assertThat(runner.isAlive()).isFalse();
                });
    }

    @Test
    void withAutostartOffTheContextDoesNotRunTheBot() {
        runner.withPropertyValues("exmachina.autostart=false").withBean(Bots.TwoSlowEmits.class).run(context -> {
            context.getBean(VirtualClock.class).advance(Duration.ofSeconds(10));
            assertThat(context.getBean(Bots.TwoSlowEmits.class).iterations).isEmpty();
            assertThat(context.getBean(MachinaLifecycle.class).isRunning()).isFalse();
        });
    }
}
