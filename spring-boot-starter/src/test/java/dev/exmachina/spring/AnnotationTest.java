package dev.exmachina.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exmachina.core.Emit;
import dev.exmachina.core.EmitMode;
import dev.exmachina.core.EmitOptions;
import dev.exmachina.core.Event;
import dev.exmachina.core.Machina;
import dev.exmachina.core.Schedule;
import dev.exmachina.core.Supervision;
import dev.exmachina.testkit.VirtualClock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@code @Emit} and {@code @Execute} register what they say, and a bad one fails the start naming its method. */
class AnnotationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MachinaAutoConfiguration.class))
            .withUserConfiguration(Bots.VirtualClockConfig.class);

    static class Declared {
        @dev.exmachina.spring.Emit(name = "prices", every = "1m30s", mode = EmitMode.ENTIRE, count = 3,
                onFailure = dev.exmachina.spring.Emit.OnFailure.LOG_AND_CONTINUE)
        void prices(Event event) {}

        @dev.exmachina.spring.Emit(autostart = false)
        void housekeeping() {}
    }

    @Test
    void anEmitIsRegisteredWithTheOptionsItsAnnotationSays() {
        runner.withPropertyValues("exmachina.autostart=false").withBean(Declared.class).run(context -> {
            List<Emit> emits = context.getBean(Machina.class).emits();
            assertThat(emits).extracting(Emit::name).containsExactlyInAnyOrder("prices", "housekeeping");
            EmitOptions prices = emits.stream().filter(e -> e.name().equals("prices")).findFirst().orElseThrow().options();
            assertThat(prices).isEqualTo(EmitOptions.every(Duration.ofSeconds(90)).mode(EmitMode.ENTIRE).count(3)
                    .supervision(Supervision.logAndContinue()));
            EmitOptions housekeeping = emits.stream().filter(e -> e.name().equals("housekeeping")).findFirst()
                    .orElseThrow().options();
            assertThat(housekeeping).isEqualTo(EmitOptions.defaults().autostart(false));
        });
    }

    @Test
    void exmachinaEmitsAutostartFalseLeavesEveryAnnotatedEmitStopped() {
        runner.withPropertyValues("exmachina.autostart=false", "exmachina.emits.autostart=false")
                .withBean(Declared.class).run(context -> {
                    assertThat(context.getBean(Machina.class).emits()).allSatisfy(
                            e -> assertThat(e.options().autostart()).as(e.name()).isFalse());
                });
    }

    static class Quotes {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Execute(name = "quote", groups = "exchange", retry = "network")
        String quote(String symbol) {
            return symbol + "=42";
        }

        @dev.exmachina.spring.Emit(name = "poll", every = "1s", count = 2)
        void poll(Event event) throws Exception {
            seen.add((String) event.execute("quote", "BTC").join());
        }
    }

    @Test
    void anExecuteIsCalledByNameFromAnEmitThroughItsGroup() {
        runner.withPropertyValues("exmachina.groups.exchange.concurrency=1",
                "exmachina.retries.network.rules[0].kind=fixed", "exmachina.retries.network.rules[0].retries=2")
                .withBean(Quotes.class).run(context -> {
                    context.getBean(VirtualClock.class).advance(Duration.ofSeconds(5));
                    assertThat(context.getBean(Quotes.class).seen).containsExactly("BTC=42", "BTC=42");
                });
    }

    static class Opening {
        final List<String> opens = new CopyOnWriteArrayList<>();

        @dev.exmachina.spring.Emit(name = "open", cron = "0 9 * * MON-FRI", zone = "America/New_York")
        void open(Event event) {
            opens.add(event.now().toString());
        }
    }

    @Test
    void aCronEmitRunsAtTheInstantsItsExpressionNamesInItsZone() {
        runner.withBean(Opening.class).run(context -> {
            assertThat(context.getBean(Machina.class).emits().getFirst().options()).isEqualTo(
                    EmitOptions.schedule(Schedule.cron("0 9 * * MON-FRI", ZoneId.of("America/New_York"))));

            context.getBean(VirtualClock.class).advance(Duration.ofDays(7));   // from Thursday 2026-01-01, UTC

            // 09:00 in New York is 14:00 UTC in January: Thursday, Friday, then Monday to Wednesday
            assertThat(context.getBean(Opening.class).opens).containsExactly("2026-01-01T14:00:00Z",
                    "2026-01-02T14:00:00Z", "2026-01-05T14:00:00Z", "2026-01-06T14:00:00Z", "2026-01-07T14:00:00Z");
        });
    }

    static class BadCron {
        @dev.exmachina.spring.Emit(cron = "0 25 * * *")
        void open() {}
    }

    @Test
    void aBadCronExpressionFailsTheStartNamingTheBeanAndTheMethod() {
        runner.withBean("opener", BadCron.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasMessageContaining("@Emit on bean 'opener' method BadCron.open()")
                    .hasMessageContaining("0 25 * * *");
        });
    }

    static class CronAndEvery {
        @dev.exmachina.spring.Emit(cron = "@daily", every = "1h", zone = "Mars/Olympus")
        void open() {}
    }

    @Test
    void aCronWithAnIntervalTooFailsTheStartSayingWhatToRemove() {
        runner.withBean("both", CronAndEvery.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasMessageContaining("bean 'both' method CronAndEvery.open()")
                    .hasMessageContaining("remove every = \"1h\"");
        });
    }

    static class BadZone {
        @dev.exmachina.spring.Emit(cron = "@daily", zone = "Mars/Olympus")
        void open() {}
    }

    @Test
    void anUnknownZoneFailsTheStartNamingIt() {
        runner.withBean("mars", BadZone.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasMessageContaining("bean 'mars' method BadZone.open()")
                    .hasMessageContaining("zone \"Mars/Olympus\" is not a time zone");
        });
    }

    @Test
    void aLazyBeanWithAnEmitFailsWhenItIsMadeInsteadOfBeingIgnored() {
        runner.withPropertyValues("exmachina.autostart=false")
                .withBean("late", Bots.TwoSlowEmits.class, Bots.TwoSlowEmits::new, d -> d.setLazyInit(true)).run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> context.getBean("late")))
                            .hasMessageContaining("made after the bot was set up");
                });
    }

    static class BadInterval {
        @dev.exmachina.spring.Emit(name = "tick", every = "1x")
        void tick() {}
    }

    @Test
    void aBadIntervalFailsTheStartNamingTheBeanAndTheMethod() {
        runner.withBean("ticker", BadInterval.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasMessageContaining("bean 'ticker' method BadInterval.tick()")
                    .hasMessageContaining("\"1x\"");
        });
    }

    static class UnknownGroup {
        @Execute(name = "quote", groups = "nowhere")
        String quote(String symbol) {
            return symbol;
        }
    }

    @Test
    void anUnknownGroupFailsTheStartNamingTheBeanAndTheMethod() {
        runner.withBean("quotes", UnknownGroup.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .hasMessageContaining("@Execute(name = \"quote\") on bean 'quotes' method UnknownGroup.quote(String)")
                    .hasMessageContaining("group 'nowhere' is not registered: add it under exmachina.groups.nowhere");
        });
    }

    static class UnknownRetry {
        @Execute(retry = "network")
        void call() {}
    }

    @Test
    void anUnknownRetryPolicyFailsTheStartNamingThePropertyToAdd() {
        runner.withBean("caller", UnknownRetry.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasMessageContaining("bean 'caller' method UnknownRetry.call()")
                    .hasMessageContaining("exmachina.retries.network.rules");
        });
    }

    static class WrongParameter {
        @dev.exmachina.spring.Emit(every = "1s")
        void tick(String what) {}
    }

    @Test
    void anEmitMethodThatTakesSomethingElseThanAnEventFailsTheStart() {
        runner.withBean("wrong", WrongParameter.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasMessageContaining("bean 'wrong' method WrongParameter.tick(String)")
                    .hasMessageContaining("dev.exmachina.core.Event or nothing");
        });
    }

    static class Twice {
        @dev.exmachina.spring.Emit(name = "tick")
        void one() {}

        @dev.exmachina.spring.Emit(name = "tick")
        void two() {}
    }

    @Test
    void aSecondEmitOfTheSameNameFailsTheStart() {
        runner.withBean("twice", Twice.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasMessageContaining("@Emit(name = \"tick\") on bean 'twice'")
                    .hasMessageContaining("already registered");
        });
    }
}
