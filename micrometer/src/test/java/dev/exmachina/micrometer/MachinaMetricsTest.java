package dev.exmachina.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.exmachina.core.BotEvent;
import dev.exmachina.core.CircuitBreaker;
import dev.exmachina.core.Forked;
import dev.exmachina.core.ConcurrentGroup;
import dev.exmachina.core.EmitOptions;
import dev.exmachina.core.Execute;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.core.Machina;
import dev.exmachina.core.Supervision;
import dev.exmachina.retry.Retry;
import dev.exmachina.retry.RetryRule;
import dev.exmachina.testkit.VirtualClock;
import dev.exmachina.testkit.VirtualClockExtension;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** MachinaMetrics on a SimpleMeterRegistry: end to end on a bot on the virtual clock, and fed events directly. */
@ExtendWith(VirtualClockExtension.class)
class MachinaMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void timesAttemptsCountsRetriesAndEmitFailuresOfABotInExactVirtualTime(VirtualClock clock) throws Exception {
        var metrics = new MachinaMetrics(registry);
        var bot = Machina.builder().name("trader").clock(clock).listener(metrics).build();
        bot.concurrentGroup("api", GroupLimits.concurrency(1));
        AtomicInteger calls = new AtomicInteger();
        List<String> gaugesSeen = new ArrayList<>();
        Execute<String, String> price = bot.execute("price",
                ExecuteOptions.groups("api").retry(Retry.of(RetryRule.fixed(IOException.class, Duration.ofSeconds(1)).retries(2))),
                symbol -> {
                    clock.sleep(Duration.ofMillis(300));
                    if (calls.incrementAndGet() == 1) {
                        // The other call waits for the one slot this attempt holds.
                        gaugesSeen.add(gauge("exmachina.group.in.flight") + " in flight, " + gauge("exmachina.group.waiting") + " waiting");
                        throw new IOException("503");
                    }
                    return symbol;
                });
        // Two calls at once through a group of one: BTC fails at 300 ms and succeeds at 1300-1600 ms;
        // ETH waits for the slot until 300 ms and succeeds at 600 ms.
        bot.emit("poll", EmitOptions.defaults().count(1), event -> {
            var btc = event.execute(price, "BTC");
            var eth = event.execute(price, "ETH");
            btc.join();
            eth.join();
        });
        bot.emit("flaky", EmitOptions.every("1s").count(3).supervision(Supervision.logAndContinue()), event -> {
            if (event.epoch() == 2) {
                throw new IllegalStateException("bad tick");
            }
        });

        bot.run();

        assertEquals(List.of("1.0 in flight, 1.0 waiting"), gaugesSeen);
        assertEquals(0.0, gauge("exmachina.group.in.flight"), "read live after the run");
        assertEquals(0.0, gauge("exmachina.group.waiting"));

        Timer succeeded = registry.get("exmachina.attempt").tags("bot", "trader", "execute", "price", "outcome", "success").timer();
        assertEquals(2, succeeded.count());
        assertEquals(600, succeeded.totalTime(TimeUnit.MILLISECONDS), "exact: two attempts of 300 virtual ms");
        Timer failed = registry.get("exmachina.attempt").tags("bot", "trader", "execute", "price", "outcome", "failure").timer();
        assertEquals(1, failed.count());
        assertEquals(300_000_000, failed.totalTime(TimeUnit.NANOSECONDS));
        assertEquals(0, registry.get("exmachina.attempt").tags("outcome", "cancelled").timer().count());

        assertEquals(1, registry.get("exmachina.retries").tags("bot", "trader", "execute", "price").counter().count());

        assertEquals(1, registry.get("exmachina.emit.failures").tags("bot", "trader", "emit", "flaky", "decision", "continue")
                .counter().count());
        assertEquals(0, registry.get("exmachina.emit.failures").tags("emit", "flaky", "decision", "stop_bot").counter().count());

        Timer slotWait = registry.get("exmachina.group.wait").tags("bot", "trader", "group", "api", "waited_for", "slot").timer();
        assertEquals(1, slotWait.count(), "ETH waited once for the slot");
        assertEquals(300, slotWait.totalTime(TimeUnit.MILLISECONDS), "exact: until BTC's first attempt ended");
        Timer lag = registry.get("exmachina.emit.lag").tags("bot", "trader", "emit", "flaky").timer();
        assertEquals(3, lag.count());
        assertEquals(0, lag.totalTime(TimeUnit.NANOSECONDS), "on the virtual clock every iteration starts on time");
        assertEquals(3, registry.get("exmachina.emit.iteration").tags("bot", "trader", "emit", "flaky").timers().stream()
                .mapToLong(Timer::count).sum());
    }

    @Test
    void registersGroupGaugesWhenTheBotStartsAndReadsTheLiveGroup(VirtualClock clock) throws Exception {
        var bot = Machina.builder().name("b").clock(clock).listener(new MachinaMetrics(registry)).build();
        ConcurrentGroup api = bot.concurrentGroup("api", GroupLimits.concurrency(2));
        bot.concurrentGroup("db", GroupLimits.unlimited());
        assertNull(registry.find("exmachina.group.in.flight").gauge(), "not before run()");

        bot.run();
        bot.run(); // a bot run again keeps its gauges

        assertEquals(2, registry.find("exmachina.group.in.flight").gauges().size());
        assertEquals(2, registry.find("exmachina.group.waiting").gauges().size());
        Gauge gauge = registry.get("exmachina.group.in.flight").tags("bot", "b", "group", "api").gauge();
        assertEquals(api.inFlight(), (int) gauge.value());
        assertNotNull(registry.get("exmachina.group.waiting").tags("bot", "b", "group", "db").gauge());
    }

    @Test
    void aNewBotOfTheSameNameGetsGaugesOfItsOwnGroups(VirtualClock clock) throws Exception {
        var metrics = new MachinaMetrics(registry);
        var first = Machina.builder().name("b").clock(clock).listener(metrics).build();
        first.concurrentGroup("api", GroupLimits.concurrency(2));
        first.run();
        var second = Machina.builder().name("b").clock(clock).listener(metrics).build();
        ConcurrentGroup api = second.concurrentGroup("api", GroupLimits.concurrency(2));
        second.run();

        // Fed directly: the second bot's group as its BotStarted carries it, with one attempt waiting.
        ConcurrentGroup busy = new FixedGroup("api", 2, 1);
        metrics.onBotStarted(new BotEvent.BotStarted("b", Instant.EPOCH, List.of(busy)));
        assertEquals(1, registry.find("exmachina.group.waiting").gauges().size());
        assertEquals(1.0, registry.get("exmachina.group.waiting").tags("bot", "b", "group", "api").gauge().value());
        assertEquals(2.0, registry.get("exmachina.group.in.flight").tags("bot", "b", "group", "api").gauge().value());
        assertEquals(0, api.inFlight());
    }

    @Test
    void timesGroupWaitsIterationsAndLagFromTheirEvents() {
        // Fed as the engine reports them: waits in a group, iterations and their lag.
        var metrics = new MachinaMetrics(registry, Tags.of("app", "demo"));
        metrics.onGroupWaited(new BotEvent.GroupWaited("b", "price", "api", BotEvent.WaitedFor.SLOT, Duration.ofMillis(300)));
        metrics.onGroupWaited(new BotEvent.GroupWaited("b", "quote", "api", BotEvent.WaitedFor.WINDOW_START, Duration.ofMillis(700)));
        metrics.onGroupWaited(new BotEvent.GroupWaited("b", "quote", "api", BotEvent.WaitedFor.WINDOW_START, Duration.ofMillis(100)));
        metrics.onIterationStarted(new BotEvent.IterationStarted("b", "poll", 1, Duration.ZERO));
        metrics.onIterationEnded(new BotEvent.IterationEnded("b", "poll", 1, Duration.ofMillis(1_200), null));
        metrics.onIterationStarted(new BotEvent.IterationStarted("b", "poll", 2, Duration.ofMillis(200)));
        metrics.onIterationEnded(new BotEvent.IterationEnded("b", "poll", 2, Duration.ofMillis(5), new IllegalStateException()));
        metrics.onHookFailed(new BotEvent.HookFailed("b", BotEvent.HookKind.STARTUP, new IllegalStateException()));
        metrics.onAttemptEnded(new BotEvent.AttemptEnded("b", "price", 1, List.of(), BotEvent.Outcome.CANCELLED, Duration.ofMillis(3), null));
        metrics.onEmitFailed(new BotEvent.EmitFailed("b", "poll", new IllegalStateException(), BotEvent.Decision.RESTART,
                Duration.ofSeconds(1)));

        Timer slot = registry.get("exmachina.group.wait").tags("app", "demo", "bot", "b", "group", "api", "waited_for", "slot").timer();
        assertEquals(1, slot.count());
        assertEquals(300, slot.totalTime(TimeUnit.MILLISECONDS));
        Timer window = registry.get("exmachina.group.wait").tags("group", "api", "waited_for", "window_start").timer();
        assertEquals(2, window.count());
        assertEquals(800, window.totalTime(TimeUnit.MILLISECONDS));
        assertEquals(700, window.max(TimeUnit.MILLISECONDS));

        Timer lag = registry.get("exmachina.emit.lag").tags("app", "demo", "bot", "b", "emit", "poll").timer();
        assertEquals(2, lag.count());
        assertEquals(200, lag.totalTime(TimeUnit.MILLISECONDS));
        assertEquals(1_200, registry.get("exmachina.emit.iteration").tags("emit", "poll", "outcome", "success").timer()
                .totalTime(TimeUnit.MILLISECONDS));
        assertEquals(5, registry.get("exmachina.emit.iteration").tags("emit", "poll", "outcome", "failure").timer()
                .totalTime(TimeUnit.MILLISECONDS));
        assertEquals(1, registry.get("exmachina.hook.failures").tags("bot", "b", "hook", "startup").counter().count());
        assertEquals(3, registry.get("exmachina.attempt").tags("outcome", "cancelled").timer().totalTime(TimeUnit.MILLISECONDS));
        assertEquals(1, registry.get("exmachina.emit.failures").tags("decision", "restart").counter().count());
    }

    @Test
    void metersFollowMicrometerConventions() {
        var metrics = new MachinaMetrics(registry);
        metrics.onAttemptEnded(new BotEvent.AttemptEnded("b", "price", 1, List.of(), BotEvent.Outcome.SUCCESS, Duration.ofMillis(3), null));
        metrics.onRetryScheduled(new BotEvent.RetryScheduled("b", "price", 1, Duration.ofSeconds(1), new IOException()));
        registry.getMeters().forEach(meter -> {
            String name = meter.getId().getName();
            assertEquals(name.toLowerCase(java.util.Locale.ROOT), name);
            assertEquals(true, name.startsWith("exmachina."), name);
            assertEquals(false, name.contains("_") || name.endsWith(".total"), name);
        });
        Counter retries = registry.get("exmachina.retries").counter();
        assertEquals(1, retries.count());
        assertThrows(NullPointerException.class, () -> new MachinaMetrics(null));
    }

    private double gauge(String name) {
        return registry.get(name).tags("bot", "trader", "group", "api").gauge().value();
    }

    /** A group with fixed counts, as a {@code BotStarted} event may carry. */
    private record FixedGroup(String name, int inFlight, int waiting) implements ConcurrentGroup {
        @Override
        public GroupLimits limits() {
            return GroupLimits.unlimited();
        }
    }

    @Test
    void countsTheWarningsAndErrorsNoOtherMeterCountsByEvent() {
        var metrics = new MachinaMetrics(registry);
        var failure = new IllegalStateException();
        metrics.onEvent(new BotEvent.UnjoinedFailure("b", "poll", "price", failure));
        metrics.onEvent(new BotEvent.UnjoinedFailure("b", "poll", "quote", failure));
        metrics.onEvent(new BotEvent.AttemptOverran("b", "price", 1, Duration.ofSeconds(1), Duration.ofSeconds(2)));
        metrics.onEvent(new BotEvent.LeaseFailed("b", "job", BotEvent.LeaseStep.RENEW, null));
        metrics.onEvent(new BotEvent.GraceExpired("other", Duration.ofSeconds(10)));
        metrics.onEvent(new BotEvent.IterationEnded("b", "poll", 1, Duration.ZERO, null)); // has its own timer

        assertEquals(2, registry.get("exmachina.incidents").tags("bot", "b", "event", "unjoined_failure").counter().count());
        assertEquals(1, registry.get("exmachina.incidents").tags("bot", "b", "event", "attempt_overran").counter().count());
        assertEquals(1, registry.get("exmachina.incidents").tags("bot", "b", "event", "lease_failed").counter().count());
        assertEquals(1, registry.get("exmachina.incidents").tags("bot", "other", "event", "grace_expired").counter().count());
        assertEquals(4, registry.find("exmachina.incidents").counters().size());
    }

    /** The three state gauges of a breaker, as "closed/open/half_open" values. */
    private String states(String breaker) {
        return List.of("closed", "open", "half_open").stream()
                .map(state -> String.valueOf((int) registry.get(MachinaMetrics.CIRCUIT_STATE)
                        .tags("bot", "trader", "breaker", breaker, "state", state).gauge().value()))
                .reduce((a, b) -> a + "/" + b).orElseThrow();
    }

    /**
     * Tests that a breaker has one gauge per state, 1 for its state now: a group's breaker from the
     * bot's start (closed), an execute's own from its first change; each follows open, half-open
     * and closed on the virtual clock.
     */
    @Test
    void gaugesEachBreakersStateWithOnePerState(VirtualClock clock) throws Exception {
        var metrics = new MachinaMetrics(registry);
        var bot = Machina.builder().name("trader").clock(clock).listener(metrics).build();
        var shared = CircuitBreaker.builder("exchange").build();
        var own = CircuitBreaker.builder("quotes").countWindow(1).minimumCalls(1)
                .openWait(Duration.ofSeconds(10), Duration.ofSeconds(10)).halfOpen(1, Duration.ofMinutes(1)).build();
        bot.concurrentGroup("api", GroupLimits.concurrency(1).circuitBreaker(shared));
        AtomicInteger calls = new AtomicInteger();
        Execute<String, String> quote = bot.execute("quote", ExecuteOptions.groups("api").circuitBreaker(own), s -> {
            if (calls.incrementAndGet() == 1) {
                throw new IOException("down");
            }
            clock.sleep(Duration.ofSeconds(1));
            return s;
        });
        List<String> seen = new ArrayList<>();
        bot.emit("main", EmitOptions.defaults().count(1), event -> {
            seen.add("exchange " + states("exchange"));
            assertThrows(IOException.class, () -> quote.call("x"));
            seen.add("quotes " + states("quotes"));
            event.sleep(Duration.ofSeconds(10));
            seen.add("quotes " + states("quotes"));
            Forked<String> probe = event.execute(quote, "probe");
            probe.join();
            seen.add("quotes " + states("quotes"));
        });

        bot.run();

        assertEquals(List.of("exchange 1/0/0", "quotes 0/1/0", "quotes 0/0/1", "quotes 1/0/0"), seen);
    }
}
