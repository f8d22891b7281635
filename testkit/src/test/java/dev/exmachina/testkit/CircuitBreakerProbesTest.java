package dev.exmachina.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.exmachina.core.AttemptTimeoutException;
import dev.exmachina.core.BotEvent;
import dev.exmachina.core.BotListener;
import dev.exmachina.core.CallTimeoutException;
import dev.exmachina.core.CircuitBreaker;
import dev.exmachina.core.CircuitOpenException;
import dev.exmachina.core.EmitOptions;
import dev.exmachina.core.Execute;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.Forked;
import dev.exmachina.core.Machina;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A breaker's half-open and windows on the virtual clock: exactly N probes; a probe's permit back on
 * a cancel, an interrupt or the call's deadline; the bound on half-open; windows of calls and of time;
 * the slow-call rate.
 */
@ExtendWith(VirtualClockExtension.class)
class CircuitBreakerProbesTest {

    /** Opens on the first failure for 10 s; {@code probes} probes, at most {@code halfOpen} half-open. */
    private static CircuitBreaker openOnFirstFailure(int probes, Duration halfOpen) {
        return CircuitBreaker.builder("api").countWindow(1).minimumCalls(1).failureRate(100)
                .openWait(Duration.ofSeconds(10), Duration.ofSeconds(40)).halfOpen(probes, halfOpen).build();
    }

    private static List<String> states(Machina.Builder builder, VirtualClock clock) {
        List<String> trace = Collections.synchronizedList(new ArrayList<>());
        builder.listener(new BotListener() {
            @Override
            public void onCircuitStateChanged(BotEvent.CircuitStateChanged e) {
                trace.add(clock.elapsed().toMillis() + "ms " + e.from() + "->" + e.to());
            }
        });
        return trace;
    }

    /**
     * A handler that fails its first call, then sleeps {@code sleep} and answers. Interrupted, it
     * throws an {@link IOException} as a blocking client would: a cancel must be told apart from the
     * API's failure by more than the exception's type.
     */
    private static Execute<String, String> failingOnce(Machina bot, VirtualClock clock, ExecuteOptions options,
            Duration sleep, List<String> calls) {
        AtomicInteger n = new AtomicInteger();
        return bot.execute("call", options, s -> {
            calls.add(clock.elapsed().toMillis() + "ms " + s);
            if (n.incrementAndGet() == 1) {
                throw new IOException("down");
            }
            try {
                clock.sleep(sleep);
            } catch (InterruptedException e) {
                throw new IOException("interrupted while reading", e);
            }
            return s;
        });
    }

    /**
     * Tests that half-open lets exactly its N probes through: 5 calls at once at 10 s, 2 probes run,
     * 3 are refused for the half-open bound, and the probes' success closes the breaker.
     */
    @Test
    void halfOpenLetsExactlyItsProbesThrough(VirtualClock clock) throws Exception {
        var breaker = openOnFirstFailure(2, Duration.ofMinutes(1));
        var builder = Machina.builder().clock(clock);
        List<String> states = states(builder, clock);
        var bot = builder.build();
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        var call = failingOnce(bot, clock, ExecuteOptions.defaults().circuitBreaker(breaker), Duration.ofSeconds(1), calls);
        List<String> refusals = Collections.synchronizedList(new ArrayList<>());
        bot.emit("main", EmitOptions.defaults().count(1), event -> {
            assertThrows(IOException.class, () -> call.call("first"));
            event.sleep(Duration.ofSeconds(10));
            List<Forked<String>> forks = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                forks.add(event.execute(call, "probe" + i));
            }
            for (Forked<String> fork : forks) {
                try {
                    fork.join();
                } catch (CircuitOpenException e) {
                    refusals.add(e.state() + " " + e.retryAfter());
                }
            }
        });

        bot.run();

        assertEquals(List.of("0ms first", "10000ms probe1", "10000ms probe2"), calls);
        assertEquals(List.of("HALF_OPEN PT1M", "HALF_OPEN PT1M", "HALF_OPEN PT1M"), refusals);
        assertEquals(List.of("0ms CLOSED->OPEN", "10000ms OPEN->HALF_OPEN", "11000ms HALF_OPEN->CLOSED"), states);
    }

    /**
     * Tests that a probe cancelled while it runs gives its permit back uncounted: with one probe, a
     * call right after the cancel is let through as the probe, and its success closes the breaker.
     */
    @Test
    void aCancelledProbeGivesItsPermitBack(VirtualClock clock) throws Exception {
        var breaker = openOnFirstFailure(1, Duration.ofMinutes(1));
        var builder = Machina.builder().clock(clock);
        List<String> states = states(builder, clock);
        var bot = builder.build();
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        var call = failingOnce(bot, clock, ExecuteOptions.defaults().circuitBreaker(breaker), Duration.ofSeconds(5), calls);
        bot.emit("main", EmitOptions.defaults().count(1), event -> {
            assertThrows(IOException.class, () -> call.call("first"));
            event.sleep(Duration.ofSeconds(10));
            Forked<String> hung = event.execute(call, "cancelled");
            event.sleep(Duration.ofSeconds(1));
            hung.cancel();
            assertThrows(CancellationException.class, hung::join);
            assertEquals("after", call.call("after"));
        });

        bot.run();

        assertEquals(List.of("0ms first", "10000ms cancelled", "11000ms after"), calls);
        assertEquals(List.of("0ms CLOSED->OPEN", "10000ms OPEN->HALF_OPEN", "16000ms HALF_OPEN->CLOSED"), states);
    }

    /**
     * Tests that a probe whose thread is interrupted (its emit cancelled) gives its permit back: the
     * next call is the probe.
     */
    @Test
    void anInterruptedProbeGivesItsPermitBack(VirtualClock clock) throws Exception {
        var breaker = openOnFirstFailure(1, Duration.ofMinutes(1));
        var builder = Machina.builder().clock(clock);
        List<String> states = states(builder, clock);
        var bot = builder.build();
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        var call = failingOnce(bot, clock, ExecuteOptions.defaults().circuitBreaker(breaker), Duration.ofSeconds(5), calls);
        bot.emit("prober", EmitOptions.defaults().count(1).autostart(false), event -> call.call("interrupted"));
        bot.emit("main", EmitOptions.defaults().count(1), event -> {
            assertThrows(IOException.class, () -> call.call("first"));
            event.sleep(Duration.ofSeconds(10));
            event.start("prober");
            event.sleep(Duration.ofSeconds(1));
            event.cancel("prober"); // interrupts the probe's thread
            event.sleep(Duration.ofMillis(1));
            assertEquals("after", call.call("after"));
        });

        bot.run();

        assertEquals(List.of("0ms first", "10000ms interrupted", "11001ms after"), calls);
        assertEquals(List.of("0ms CLOSED->OPEN", "10000ms OPEN->HALF_OPEN", "16001ms HALF_OPEN->CLOSED"), states);
    }

    /**
     * Tests that a probe stopped by its call's deadline ({@code callTimeout}) gives its permit back
     * uncounted, while one stopped by its own attempt timeout counts as a failure and reopens.
     */
    @Test
    void theCallsDeadlineGivesTheProbeBackAndTheAttemptTimeoutCountsAsAFailure(VirtualClock clock) throws Exception {
        var breaker = openOnFirstFailure(1, Duration.ofMinutes(1));
        var builder = Machina.builder().clock(clock);
        List<String> states = states(builder, clock);
        var bot = builder.build();
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        var call = failingOnce(bot, clock, ExecuteOptions.defaults().circuitBreaker(breaker).callTimeout(Duration.ofSeconds(2)),
                Duration.ofSeconds(5), calls);
        var timed = bot.execute("timed", ExecuteOptions.defaults().circuitBreaker(breaker).attemptTimeout(Duration.ofSeconds(2)),
                s -> {
                    calls.add(clock.elapsed().toMillis() + "ms " + s);
                    clock.sleep(Duration.ofSeconds(5));
                    return s;
                });
        bot.emit("main", EmitOptions.defaults().count(1), event -> {
            assertThrows(IOException.class, () -> call.call("first"));
            event.sleep(Duration.ofSeconds(10));
            assertThrows(CallTimeoutException.class, () -> call.call("out of time"));
            assertThrows(AttemptTimeoutException.class, () -> timed.call("attempt timed out"));
        });

        bot.run();

        assertEquals(List.of("0ms first", "10000ms out of time", "12000ms attempt timed out"), calls);
        assertEquals(List.of("0ms CLOSED->OPEN", "10000ms OPEN->HALF_OPEN", "14000ms HALF_OPEN->OPEN"), states);
        assertSame(CircuitBreaker.State.OPEN, breaker.state());
    }

    /**
     * Tests that half-open lasts at most its bound: a probe that hangs does not keep the breaker
     * half-open past 3 s (it reopens for twice the wait), and its late success changes nothing.
     */
    @Test
    void aHungProbeCannotKeepTheBreakerHalfOpenPastItsBound(VirtualClock clock) throws Exception {
        var breaker = openOnFirstFailure(1, Duration.ofSeconds(3));
        var builder = Machina.builder().clock(clock);
        List<String> states = states(builder, clock);
        var bot = builder.build();
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        var call = failingOnce(bot, clock, ExecuteOptions.defaults().circuitBreaker(breaker), Duration.ofSeconds(10), calls);
        bot.emit("main", EmitOptions.defaults().count(1), event -> {
            assertThrows(IOException.class, () -> call.call("first"));
            event.sleep(Duration.ofSeconds(10));
            assertEquals("hung", call.call("hung")); // ends at 20 s, after the half-open ended at 13 s
        });

        bot.run();

        assertEquals(List.of("0ms CLOSED->OPEN", "10000ms OPEN->HALF_OPEN", "13000ms HALF_OPEN->OPEN"), states);
        assertSame(CircuitBreaker.State.OPEN, breaker.state(), "the late probe did not close it");
        assertEquals(Duration.ofSeconds(20), clock.elapsed());
    }

    /** Runs {@code outcomes} (true: fail) one per second through {@code breaker}; returns the state after each. */
    private static List<CircuitBreaker.State> afterEach(VirtualClock clock, CircuitBreaker breaker, Duration callTakes,
            boolean... outcomes) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        AtomicInteger n = new AtomicInteger();
        var call = bot.execute("call", ExecuteOptions.defaults().circuitBreaker(breaker), s -> {
            clock.sleep(callTakes);
            if (outcomes[n.getAndIncrement()]) {
                throw new IOException("down");
            }
            return s;
        });
        List<CircuitBreaker.State> states = new ArrayList<>();
        bot.emit("main", EmitOptions.every("1s").count(outcomes.length), event -> {
            try {
                call.call("x");
            } catch (IOException expected) {
                // counted by the breaker
            }
            states.add(breaker.state());
        });
        bot.run();
        return states;
    }

    /** Tests that a window of calls slides: the oldest failure leaves it, and two newer ones open it. */
    @Test
    void aWindowOfCallsOpensOnTheLastCallsOnly(VirtualClock clock) throws Exception {
        var breaker = CircuitBreaker.builder("api").countWindow(3).minimumCalls(3).failureRate(60).build();
        var C = CircuitBreaker.State.CLOSED;
        assertEquals(List.of(C, C, C, C, CircuitBreaker.State.OPEN),
                afterEach(clock, breaker, Duration.ZERO, true, false, false, true, true)); // F S S (33 %), S S F, S F F (67 %)
    }

    /**
     * Tests that a window of time forgets failures older than its length: failures at 0 s and 11 s do
     * not open a 10 s window needing 2 calls (the first left it), failures at 11 s and 12 s do.
     */
    @Test
    void aWindowOfTimeOpensOnRecentFailuresOnly(VirtualClock clock) throws Exception {
        var breaker = CircuitBreaker.builder("api").timeWindow(Duration.ofSeconds(10)).minimumCalls(2).failureRate(100).build();
        var bot = Machina.builder().clock(clock).build();
        var call = bot.execute("call", ExecuteOptions.defaults().circuitBreaker(breaker), s -> {
            throw new IOException("down");
        });
        List<String> states = new ArrayList<>();
        bot.emit("main", EmitOptions.defaults().count(1), event -> {
            for (long at : new long[] {0, 11, 12}) {
                event.sleep(Duration.ofSeconds(at).minus(clock.elapsed()));
                assertThrows(IOException.class, () -> call.call("x"));
                states.add(clock.elapsed().toSeconds() + "s " + breaker.state());
            }
        });

        bot.run();

        assertEquals(List.of("0s CLOSED", "11s CLOSED", "12s OPEN"), states);
    }

    /** Tests that slow calls open the breaker on their own rate, though every one succeeded. */
    @Test
    void slowCallsOpenTheBreakerThoughTheySucceed(VirtualClock clock) throws Exception {
        var breaker = CircuitBreaker.builder("api").countWindow(2).minimumCalls(2)
                .slowCalls(Duration.ofMillis(500), 100).build();
        List<CircuitBreaker.State> states = afterEach(clock, breaker, Duration.ofMillis(600), false, false);
        assertEquals(List.of(CircuitBreaker.State.CLOSED, CircuitBreaker.State.OPEN), states);
        var quick = CircuitBreaker.builder("quick").countWindow(2).minimumCalls(2).slowCalls(Duration.ofMillis(500), 100).build();
        assertEquals(List.of(CircuitBreaker.State.CLOSED, CircuitBreaker.State.CLOSED),
                afterEach(VirtualClock.create(), quick, Duration.ofMillis(500), false, false), "500 ms is not slower than 500 ms");
    }

    /**
     * Tests that a probe's permit comes back when a later breaker refuses the attempt: the execute's
     * own breaker is half-open at 10 s, its group's still open, so the call is refused by the group's
     * and the own breaker's probe is free again for the call at 20 s, which closes both.
     */
    @Test
    void aProbeRefusedByTheGroupsBreakerGivesItsPermitBack(VirtualClock clock) throws Exception {
        var own = openOnFirstFailure(1, Duration.ofMinutes(1));
        var group = CircuitBreaker.builder("group").countWindow(1).minimumCalls(1).failureRate(100)
                .openWait(Duration.ofSeconds(20), Duration.ofSeconds(20)).halfOpen(1, Duration.ofMinutes(1)).build();
        var bot = Machina.builder().clock(clock).build();
        bot.concurrentGroup("api", dev.exmachina.core.GroupLimits.unlimited().circuitBreaker(group));
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        var call = failingOnce(bot, clock, ExecuteOptions.groups("api").circuitBreaker(own), Duration.ZERO, calls);
        List<String> seen = new ArrayList<>();
        bot.emit("main", EmitOptions.defaults().count(1), event -> {
            assertThrows(IOException.class, () -> call.call("first"));
            event.sleep(Duration.ofSeconds(10));
            CircuitOpenException refused = assertThrows(CircuitOpenException.class, () -> call.call("refused"));
            seen.add(refused.breaker() + " " + refused.state() + ", own " + own.state());
            event.sleep(Duration.ofSeconds(10));
            seen.add(call.call("probe") + ", own " + own.state() + ", group " + group.state());
        });

        bot.run();

        assertEquals(List.of("group OPEN, own HALF_OPEN", "probe, own CLOSED, group CLOSED"), seen);
        assertEquals(List.of("0ms first", "20000ms probe"), calls);
    }
}
