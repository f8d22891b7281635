package dev.exmachina.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.exmachina.core.BotEvent;
import dev.exmachina.core.BotListener;
import dev.exmachina.core.CircuitBreaker;
import dev.exmachina.core.CircuitOpenException;
import dev.exmachina.core.ConcurrentGroup;
import dev.exmachina.core.EmitOptions;
import dev.exmachina.core.Execute;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.core.Machina;
import dev.exmachina.retry.Retry;
import dev.exmachina.retry.RetryRule;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A circuit breaker on the virtual clock: closed, open, half-open and closed again over a minute of
 * virtual time, exact to the nanosecond and the same every run; a retry that waits for it; a breaker
 * on a group shared by every execute through it, refusing before any slot or window start is taken.
 */
@ExtendWith(VirtualClockExtension.class)
class CircuitBreakerScenarioTest {

    /** Every change of state, as "seconds from->to (open wait)". */
    private static BotListener stateTrace(VirtualClock clock, List<String> trace) {
        return new BotListener() {
            @Override
            public void onCircuitStateChanged(BotEvent.CircuitStateChanged e) {
                trace.add(clock.elapsed().toMillis() + "ms " + e.breaker().name() + " " + e.from() + "->" + e.to()
                        + (e.openWait() == null ? "" : " for " + e.openWait().toSeconds() + "s"));
            }
        };
    }

    /**
     * An API down for the first 25 s, polled every second for a minute, through a group whose breaker
     * opens at 50 % of 4 calls, waits 10 s then 20 s, and probes twice. Returns the states and every
     * call's outcome with its instant.
     */
    static List<String> minuteOfAnOutage(VirtualClock clock) throws Exception {
        List<String> trace = Collections.synchronizedList(new ArrayList<>());
        var breaker = CircuitBreaker.builder("exchange").countWindow(4).minimumCalls(4).failureRate(50)
                .openWait(Duration.ofSeconds(10), Duration.ofSeconds(40)).halfOpen(2, Duration.ofSeconds(20)).build();
        var bot = Machina.builder().clock(clock).listener(stateTrace(clock, trace)).build();
        bot.concurrentGroup("api", GroupLimits.concurrency(2).perWindow(4, Duration.ofSeconds(1)).circuitBreaker(breaker));
        Execute<String, String> price = bot.execute("price", ExecuteOptions.groups("api"), symbol -> {
            clock.sleep(Duration.ofMillis(symbol.length() * 10L)); // the two calls end at different instants
            if (clock.elapsed().compareTo(Duration.ofSeconds(25)) < 0) {
                throw new IOException("503");
            }
            return symbol;
        });
        bot.emit("poll", EmitOptions.every("1s").count(60), event -> {
            var btc = event.execute(price, "BTC");
            var eth = event.execute(price, "ETHER");
            for (var call : List.of(btc, eth)) {
                String outcome;
                try {
                    outcome = call.join();
                } catch (CircuitOpenException e) {
                    outcome = "refused " + e.retryAfter().toMillis() + "ms";
                } catch (IOException e) {
                    outcome = "failed";
                }
                trace.add(clock.elapsed().toMillis() + "ms " + outcome);
            }
        });
        bot.run();
        trace.add("end " + clock.elapsed());
        return trace;
    }

    /**
     * Tests that a minute of an outage runs closed, open, half-open (failed), open for twice as long,
     * half-open and closed, at these exact virtual instants, in milliseconds of real time.
     */
    @Test
    void aMinuteOfAnOutageOpensProbesReopensLongerAndCloses(VirtualClock clock) throws Exception {
        long began = System.nanoTime();
        List<String> trace = minuteOfAnOutage(clock);
        long tookMillis = (System.nanoTime() - began) / 1_000_000;

        List<String> states = trace.stream().filter(l -> l.contains("->")).toList();
        assertEquals(List.of(
                "1100ms exchange CLOSED->OPEN for 10s",       // the calls at 0 s and 1.05 s: 4 failures of 4
                "11100ms exchange OPEN->HALF_OPEN",           // by the clock's timer, exactly 10 s later
                "11150ms exchange HALF_OPEN->OPEN for 20s",   // both probes failed: open twice as long
                "31150ms exchange OPEN->HALF_OPEN",
                "31200ms exchange HALF_OPEN->CLOSED"), states, String.join("\n", trace));
        // While open, every call was refused at once, told exactly how long until the breaker half-opens.
        assertTrue(trace.contains("2100ms refused 9000ms"), String.join("\n", trace));
        assertTrue(trace.contains("30150ms refused 1000ms"), String.join("\n", trace));
        assertEquals(6, trace.stream().filter(l -> l.endsWith(" failed")).count(), "4 calls closed, 2 probes: no other call reached the API");
        assertEquals(58, trace.stream().filter(l -> l.endsWith(" BTC") || l.endsWith(" ETHER")).count(), "the 29 polls from 31.15 s on");
        assertEquals("end PT1M0.6S", trace.getLast()); // polls 32 to 60 take 50 ms each, 1 s apart
        assertTrue(tookMillis < 10_000, "a minute of virtual time took " + tookMillis + " ms of real time");
    }

    /** Tests that the minute of an outage gives the same trace, states and calls, in 100 runs. */
    @Test
    void aMinuteOfAnOutageGivesTheSameTraceInAHundredRuns() throws Exception {
        List<String> first = minuteOfAnOutage(VirtualClock.create());
        for (int run = 2; run <= 100; run++) {
            assertEquals(first, minuteOfAnOutage(VirtualClock.create()), "run " + run + " differs from run 1");
        }
    }

    /**
     * Tests that a retry rule waiting {@code waitFrom(CircuitOpenException::retryAfter)} sleeps exactly
     * until the breaker half-opens: opened at 5 s for 30 s, refused at 12 s, the retry runs at 35 s.
     */
    @Test
    void aRetryWaitsExactlyUntilTheBreakerHalfOpens(VirtualClock clock) throws Exception {
        var breaker = CircuitBreaker.builder("quotes").countWindow(2).minimumCalls(2).failureRate(100)
                .openWait(Duration.ofSeconds(30), Duration.ofSeconds(30)).halfOpen(1, Duration.ofMinutes(1)).build();
        List<String> trace = Collections.synchronizedList(new ArrayList<>());
        var bot = Machina.builder().clock(clock).listener(stateTrace(clock, trace)).listener(new BotListener() {
            @Override
            public void onRetryScheduled(BotEvent.RetryScheduled e) {
                trace.add(clock.elapsed().toMillis() + "ms retry in " + e.waitTime() + " after " + e.cause().getClass().getSimpleName());
            }
        }).build();
        AtomicInteger calls = new AtomicInteger();
        Execute<String, String> quote = bot.execute("quote", ExecuteOptions.defaults().circuitBreaker(breaker)
                .retry(Retry.of(RetryRule.fixed(CircuitOpenException.class, Duration.ofSeconds(1))
                        .waitFrom(CircuitOpenException::retryAfter).retries(3))), symbol -> {
                    trace.add(clock.elapsed().toMillis() + "ms handler");
                    if (calls.incrementAndGet() <= 2) {
                        throw new IOException("down");
                    }
                    return symbol;
                });
        bot.emit("main", EmitOptions.defaults().count(1), event -> {
            for (int i = 0; i < 2; i++) {
                try {
                    quote.call("BTC");
                } catch (IOException expected) {
                    event.sleep(Duration.ofSeconds(5));
                }
            }
            event.sleep(Duration.ofSeconds(2));
            String got = quote.call("BTC");
            trace.add(clock.elapsed().toMillis() + "ms got " + got);
        });

        bot.run();

        assertEquals(List.of(
                "0ms handler",
                "5000ms handler",
                "5000ms quotes CLOSED->OPEN for 30s",
                "12000ms retry in PT23S after CircuitOpenException",
                "35000ms quotes OPEN->HALF_OPEN",
                "35000ms handler",
                "35000ms quotes HALF_OPEN->CLOSED",
                "35000ms got BTC"), trace);
    }

    /**
     * Tests that a breaker on a group is shared by every execute through it: failures of two
     * executes open it together, and then both are refused, naming the group's breaker.
     */
    @Test
    void aBreakerOnAGroupIsSharedByEveryExecuteThroughIt(VirtualClock clock) throws Exception {
        var breaker = CircuitBreaker.builder("api").countWindow(2).minimumCalls(2).failureRate(100).build();
        var bot = Machina.builder().clock(clock).build();
        bot.concurrentGroup("api", GroupLimits.concurrency(4).circuitBreaker(breaker));
        Execute<String, String> prices = bot.execute("prices", ExecuteOptions.groups("api"), s -> {
            throw new IOException("prices down");
        });
        Execute<String, String> orders = bot.execute("orders", ExecuteOptions.groups("api"), s -> {
            throw new IOException("orders down");
        });
        List<String> outcomes = new ArrayList<>();
        bot.emit("main", EmitOptions.defaults().count(1), event -> {
            for (Execute<String, String> execute : List.of(prices, orders, prices, orders)) {
                try {
                    execute.call("x");
                } catch (IOException e) {
                    outcomes.add(execute.name() + " failed");
                } catch (CircuitOpenException e) {
                    outcomes.add(execute.name() + " refused by " + e.breaker() + " (" + e.state() + ")");
                }
            }
        });

        bot.run();

        assertEquals(List.of("prices failed", "orders failed", "prices refused by api (OPEN)",
                "orders refused by api (OPEN)"), outcomes);
        assertSame(CircuitBreaker.State.OPEN, breaker.state());
    }

    /**
     * Tests that an open breaker refuses before a slot or a window start is taken: with a window of
     * 1 start per 10 s spent at 0 s, three refused calls at 1, 2 and 3 s return at once, leave the group
     * idle, and the probe at 10 s starts at once (a reserved start would have pushed it to 40 s).
     */
    @Test
    void anOpenBreakerRefusesBeforeTakingASlotOrAWindowStart(VirtualClock clock) throws Exception {
        var breaker = CircuitBreaker.builder("api").countWindow(1).minimumCalls(1).failureRate(100)
                .openWait(Duration.ofSeconds(5), Duration.ofSeconds(5)).halfOpen(1, Duration.ofMinutes(1)).build();
        List<String> trace = Collections.synchronizedList(new ArrayList<>());
        var bot = Machina.builder().clock(clock).listener(new BotListener() {
            @Override
            public void onGroupWaited(BotEvent.GroupWaited e) {
                trace.add(clock.elapsed().toMillis() + "ms waited " + e.waited() + " for " + e.waitedFor());
            }
        }).build();
        ConcurrentGroup api = bot.concurrentGroup("api",
                GroupLimits.concurrency(1).perWindow(1, Duration.ofSeconds(10)).circuitBreaker(breaker));
        AtomicInteger calls = new AtomicInteger();
        Execute<String, String> call = bot.execute("call", ExecuteOptions.groups("api"), s -> {
            trace.add(clock.elapsed().toMillis() + "ms handler");
            if (calls.incrementAndGet() == 1) {
                throw new IOException("down");
            }
            return s;
        });
        bot.emit("main", EmitOptions.defaults().count(1), event -> {
            for (int second = 0; second <= 3; second++) {
                try {
                    call.call("x");
                } catch (IOException | CircuitOpenException e) {
                    trace.add(clock.elapsed().toMillis() + "ms " + e.getClass().getSimpleName()
                            + " inFlight " + api.inFlight() + " waiting " + api.waiting());
                }
                event.sleep(Duration.ofSeconds(1));
            }
            event.sleep(Duration.ofSeconds(6));
            String got = call.call("y");
            trace.add(clock.elapsed().toMillis() + "ms got " + got);
        });

        bot.run();

        assertEquals(List.of(
                "0ms handler",
                "0ms IOException inFlight 0 waiting 0",
                "1000ms CircuitOpenException inFlight 0 waiting 0",
                "2000ms CircuitOpenException inFlight 0 waiting 0",
                "3000ms CircuitOpenException inFlight 0 waiting 0",
                "10000ms handler",
                "10000ms got y"), trace);
        assertSame(CircuitBreaker.State.CLOSED, breaker.state());
    }

    /**
     * Tests that a breaker left open when its bot's run ends reports nothing after {@code BotStopped}
     * (its timer is cancelled with the run), even when virtual time goes far past its open wait; and
     * that the next run moves it on at its first call: half-open, then closed by a good probe.
     */
    @Test
    void aBreakerOpenAtTheEndOfARunReportsNothingAfterItAndMovesOnAtTheNextRunsFirstCall(VirtualClock clock)
            throws Exception {
        var breaker = CircuitBreaker.builder("orders").countWindow(2).minimumCalls(2).failureRate(100)
                .openWait(Duration.ofSeconds(10), Duration.ofSeconds(10)).halfOpen(1, Duration.ofMinutes(1)).build();
        List<String> trace = Collections.synchronizedList(new ArrayList<>());
        var bot = Machina.builder().clock(clock).listener(stateTrace(clock, trace)).listener(new BotListener() {
            @Override
            public void onBotStopped(BotEvent.BotStopped e) {
                trace.add(clock.elapsed().toMillis() + "ms stopped");
            }
        }).build();
        AtomicInteger run = new AtomicInteger(1);
        Execute<String, String> order = bot.execute("order", ExecuteOptions.defaults().circuitBreaker(breaker), id -> {
            if (run.get() == 1) {
                throw new IOException("503");
            }
            return id;
        });
        bot.emit("place", EmitOptions.every("1s").count(2), event -> {
            try {
                order.call("o1");
            } catch (IOException expected) {
                // the two failures open the breaker at 1 s, for 10 s: longer than the run
            }
        });
        bot.run();
        clock.advance(Duration.ofMinutes(1)); // far past the open wait, with no run under way
        assertEquals(List.of("1000ms orders CLOSED->OPEN for 10s", "1000ms stopped"), trace);
        assertSame(CircuitBreaker.State.OPEN, breaker.state(), "no timer moved it after the run");

        trace.clear();
        run.set(2);
        bot.emit("place again", EmitOptions.every("1s").count(2), event -> order.call("o2")); // "place" has run its 2
        bot.run();
        assertEquals(List.of("61000ms orders OPEN->HALF_OPEN", "61000ms orders HALF_OPEN->CLOSED", "62000ms stopped"), trace);
    }
}
