package dev.exmachina.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.CircuitBreaker;
import dev.exmachina.core.CircuitOpenException;
import dev.exmachina.core.ConcurrentGroup;
import dev.exmachina.core.EmitOptions;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.core.Machina;
import dev.exmachina.core.Event;
import dev.exmachina.core.spi.GroupBackend;
import dev.exmachina.core.spi.GroupGate;
import dev.exmachina.testkit.VirtualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** What the endpoint and the health indicator show of a running bot, on a virtual clock. */
class ActuatorTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MachinaAutoConfiguration.class, MachinaActuatorAutoConfiguration.class))
            .withUserConfiguration(Bots.VirtualClockConfig.class)
            .withPropertyValues("management.endpoints.web.exposure.include=exmachina", "exmachina.groups.exchange.concurrency=1");

    /** Three emits that each call an execute holding the group's only slot for an hour. */
    static class Crowd {
        private final BotClock clock;

        Crowd(BotClock clock) {
            this.clock = clock;
        }

        @Execute(name = "hold", groups = "exchange")
        void hold() throws InterruptedException {
            clock.sleep(Duration.ofHours(1));
        }

        @Emit(name = "crowd1", every = "1s")
        void a(Event event) throws Exception {
            event.execute("hold", null).join();
        }

        @Emit(name = "crowd2", every = "1s")
        void b(Event event) throws Exception {
            event.execute("hold", null).join();
        }

        @Emit(name = "crowd3", every = "1s")
        void c(Event event) throws Exception {
            event.execute("hold", null).join();
        }
    }

    @Test
    void theEndpointShowsEachEmitsStateEpochAndScheduleAndEachGroupsCounts() {
        runner.withBean(Bots.TwoSlowEmits.class).withBean(Crowd.class).run(context -> {
            context.getBean(VirtualClock.class).advance(Duration.ofMillis(3500));

            MachinaEndpoint.Bot bot = context.getBean(MachinaEndpoint.class).bot();
            assertThat(bot.running()).isTrue();
            assertThat(bot.failure()).isNull();
            // "b" of TwoSlowEmits: iterations at 0-1 s and 2-3 s, the third due at 4 s: waiting at 3.5 s
            assertThat(bot.emits()).filteredOn(e -> e.name().equals("b")).singleElement().satisfies(e -> {
                assertThat(e.state()).isEqualTo("WAITING");
                assertThat(e.epoch()).isEqualTo(2);
                assertThat(e.iterations()).isEqualTo(2);
                assertThat(e.lag()).isEqualTo("PT0S");
                assertThat(e.schedule()).contains("PT1S");
            });
            // each crowd emit is inside its first iteration, joining a call that holds or waits for the slot
            assertThat(bot.emits()).filteredOn(e -> e.name().startsWith("crowd"))
                    .extracting(MachinaEndpoint.EmitView::state).containsExactly("ITERATING", "ITERATING", "ITERATING");
            assertThat(bot.groups()).singleElement().satisfies(g -> {
                assertThat(g.name()).isEqualTo("exchange");
                assertThat(g.inFlight()).isEqualTo(1);
                assertThat(g.waiting()).isEqualTo(2);
                assertThat(g.concurrency()).isEqualTo(1);
                assertThat(g.window()).isNull();
            });
        });
    }

    @Test
    void aPausedGroupShowsUntilWhenInTheEndpointAndTheHealthUntilThePauseEnds() {
        runner.withBean(Crowd.class).run(context -> {
            VirtualClock clock = context.getBean(VirtualClock.class);
            clock.advance(Duration.ofSeconds(1));
            var exchange = context.getBean(Machina.class).concurrentGroups().getFirst();
            var until = clock.instant().plusSeconds(30);
            exchange.pauseUntil(until);
            MachinaEndpoint endpoint = context.getBean(MachinaEndpoint.class);
            HealthIndicator indicator = context.getBean("exmachinaHealthIndicator", HealthIndicator.class);

            assertThat(endpoint.bot().groups()).singleElement()
                    .extracting(MachinaEndpoint.GroupView::pausedUntil).isEqualTo(until.toString());
            Health health = indicator.health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails().get("groups").toString()).contains("exchange=2 waiting, paused until " + until);

            clock.advance(Duration.ofSeconds(30));

            assertThat(endpoint.bot().groups()).singleElement()
                    .extracting(MachinaEndpoint.GroupView::pausedUntil).isNull();
            assertThat(indicator.health().getDetails().get("groups").toString()).doesNotContain("paused");
        });
    }

    /** A group of two windows, 5 per second and 100 per minute, and an emit starting 3 calls through it each second. */
    static final class Windows implements MachinaConfigurer {
        @Override
        public void register(Machina bot) {
            bot.concurrentGroup("api", GroupLimits.concurrency(2).perWindow(5, Duration.ofSeconds(1))
                    .perWindow(100, Duration.ofMinutes(1)));
            dev.exmachina.core.Execute<Object, Object> call = bot.execute("call", ExecuteOptions.groups("api"), x -> x);
            bot.emit("caller", EmitOptions.every("1s"), event -> {
                for (int i = 0; i < 3; i++) {
                    call.call(null);
                }
            });
        }
    }

    @Test
    void theEndpointShowsHowMuchOfEachWindowOfAGroupIsUsed() {
        runner.withBean(Windows.class).run(context -> {
            VirtualClock clock = context.getBean(VirtualClock.class);
            MachinaEndpoint endpoint = context.getBean(MachinaEndpoint.class);
            clock.advance(Duration.ofMillis(1500)); // iterations at 0 and 1 s: 3 in the last second, 6 in the last minute

            assertThat(endpoint.bot().groups()).filteredOn(g -> g.name().equals("api")).singleElement()
                    .extracting(MachinaEndpoint.GroupView::windowUse).isEqualTo(List.of(
                            new MachinaEndpoint.WindowUseView(5, "PT1S", "START", 3),
                            new MachinaEndpoint.WindowUseView(100, "PT1M", "START", 6)));
            assertThat(endpoint.bot().groups()).filteredOn(g -> g.name().equals("exchange")).singleElement()
                    .extracting(MachinaEndpoint.GroupView::windowUse).isEqualTo(List.of()); // no window
        });
    }

    /** A group backend that decides nothing and cannot tell its windows' use (it runs no execute here). */
    static final class BlindBackend implements GroupBackend {
        @Override
        public ConcurrentGroup register(String name, GroupLimits limits, BotClock clock) {
            return new ConcurrentGroup() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public GroupLimits limits() {
                    return limits;
                }

                @Override
                public int inFlight() {
                    return 0;
                }

                @Override
                public int waiting() {
                    return 0;
                }
            };
        }

        @Override
        public GroupGate gate(List<ConcurrentGroup> groups, BotClock clock) {
            throw new UnsupportedOperationException("no execute runs through this backend");
        }
    }

    @Test
    void aGroupWhoseBackendCannotTellItsWindowUseShowsItAsUnknown() {
        runner.withBean(BlindBackend.class).withPropertyValues("exmachina.groups.exchange.calls-per-window=5",
                "exmachina.groups.exchange.window=1s").run(context -> {
            assertThat(context.getBean(MachinaEndpoint.class).bot().groups()).singleElement().satisfies(g -> {
                assertThat(g.callsPerWindow()).isEqualTo(5);
                assertThat(g.windowUse()).isNull();
            });
        });
    }

    /** A group with a breaker, and an execute with its own breaker whose calls all fail. */
    static final class Breakers implements MachinaConfigurer {
        @Override
        public void register(Machina bot) {
            bot.concurrentGroup("api", GroupLimits.concurrency(2)
                    .circuitBreaker(CircuitBreaker.builder("api-breaker").build()));
            dev.exmachina.core.Execute<Object, Object> flaky = bot.execute("flaky", ExecuteOptions.defaults().circuitBreaker(
                    CircuitBreaker.builder("flaky-breaker").countWindow(2).minimumCalls(2).failureRate(50).build()),
                    x -> {
                        throw new IOException("down");
                    });
            bot.emit("caller", EmitOptions.every("1s"), event -> {
                try {
                    flaky.call(null);
                } catch (IOException | CircuitOpenException expected) {
                    // the breaker counts the first, refuses once open
                }
            });
        }
    }

    @Test
    void theEndpointListsTheGroupsBreakersAndAnExecutesBreakerOnceItChangedState() {
        runner.withBean(Breakers.class).run(context -> {
            MachinaEndpoint endpoint = context.getBean(MachinaEndpoint.class);
            assertThat(endpoint.bot().breakers()).containsExactly(
                    new MachinaEndpoint.BreakerView("api-breaker", "CLOSED", "api"));

            context.getBean(VirtualClock.class).advance(Duration.ofMillis(1500));   // two failed calls: open

            assertThat(endpoint.bot().breakers()).containsExactly(
                    new MachinaEndpoint.BreakerView("api-breaker", "CLOSED", "api"),
                    new MachinaEndpoint.BreakerView("flaky-breaker", "OPEN", null));
        });
    }

    @Test
    void theHealthIsUpWhateverTheGroupsWaitUnlessToldToCountThem() {
        runner.withBean(Crowd.class).run(context -> {
            context.getBean(VirtualClock.class).advance(Duration.ofSeconds(1));
            Health health = context.getBean("exmachinaHealthIndicator", HealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("running", true);
        });
        runner.withBean(Crowd.class).withPropertyValues("exmachina.health.max-waiting.exchange=1").run(context -> {
            context.getBean(VirtualClock.class).advance(Duration.ofSeconds(1));
            Health health = context.getBean("exmachinaHealthIndicator", HealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails().get("groups").toString()).contains("exchange=2 waiting, more than 1");
        });
    }

    /** An emit whose first iteration fails: the bot stops. */
    static class Failing {
        @Emit(name = "boom")
        void boom() {
            throw new IllegalStateException("the exchange changed its API");
        }
    }

    @Test
    void aBotStoppedByAFailureIsShownButStaysUpUnlessDownOnFailure() {
        runner.withBean(Failing.class).run(context -> {
            context.getBean(VirtualClock.class).advance(Duration.ofSeconds(1));
            Health health = context.getBean("exmachinaHealthIndicator", HealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("running", false);
            assertThat(health.getDetails().get("failure").toString()).contains("the exchange changed its API");
            assertThat(context.getBean(MachinaEndpoint.class).bot().failure()).contains("the exchange changed its API");
        });
        runner.withBean(Failing.class).withPropertyValues("exmachina.health.down-on-failure=true").run(context -> {
            context.getBean(VirtualClock.class).advance(Duration.ofSeconds(1));
            Health health = context.getBean("exmachinaHealthIndicator", HealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        });
    }
}
