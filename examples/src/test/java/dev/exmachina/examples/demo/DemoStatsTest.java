package dev.exmachina.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.exmachina.core.BotEvent;
import dev.exmachina.core.BotEvent.Outcome;
import dev.exmachina.core.BotEvent.WaitedFor;
import dev.exmachina.core.EmitOptions;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.core.Machina;
import dev.exmachina.examples.exchange.ApiException;
import dev.exmachina.retry.Retry;
import dev.exmachina.retry.RetryRule;
import dev.exmachina.testkit.VirtualClock;
import dev.exmachina.testkit.VirtualClockExtension;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The demo's listener-based stats, on the virtual clock: a small bot whose attempts take exact
 * virtual times, so that the counts, the percentiles and the longest group wait are exact.
 */
@Tag("virtual-clock")
@ExtendWith(VirtualClockExtension.class)
class DemoStatsTest {

    /** One attempt of a scripted call: how long it takes, and the HTTP status it ends with. */
    record Step(Duration time, int status, @Nullable Duration retryAfter) {
        static Step ok(long millis) {
            return new Step(Duration.ofMillis(millis), 200, null);
        }

        static Step fail(long millis, int status, @Nullable Duration retryAfter) {
            return new Step(Duration.ofMillis(millis), status, retryAfter);
        }
    }

    /**
     * Tests that the stats count calls, retries and how calls ended from the bot's events, and
     * that the percentiles and the longest wait are exact, on a group of one start per second.
     */
    @Test
    void countsEverythingFromTheEventsExactly(VirtualClock clock) throws Exception {
        var stats = new DemoStats("work", "idle");
        var bot = Machina.builder().clock(clock).listener(stats).build();
        bot.concurrentGroup("api", GroupLimits.concurrency(1).perWindow(1, Duration.ofSeconds(1)));
        Retry retry = Retry.of(RetryRule.fixed(ApiException.class, Duration.ofMillis(500)).retries(1)
                .filter(TradingBot::retryable).waitFrom(ApiException::retryAfter));
        var call = bot.execute("call", ExecuteOptions.groups("api").retry(retry), (ArrayDeque<Step> script) -> {
            Step step = script.removeFirst();
            clock.sleep(step.time());
            if (step.status() != 200) throw new ApiException(step.status(), "GET /x", "scripted", step.retryAfter());
            return step.status();
        });
        bot.emit("work", EmitOptions.every("1s").count(1), event -> {
            List<List<Step>> calls = List.of(
                    // starts at 0, ends at 100 ms
                    List.of(Step.ok(100)),
                    // waits 900 ms for its start (1 s), fails at 1.2 s asking 300 ms; its retry
                    // waits 500 ms more for its start (2 s), succeeds at 2.05 s: recovered
                    List.of(Step.fail(200, 503, Duration.ofMillis(300)), Step.ok(50)),
                    // waits 950 ms (3 s), a 404 at 3.01 s: rejected, never retried
                    List.of(Step.fail(10, 404, null)),
                    // waits 990 ms (4 s), a 503 asking nothing: the backoff's 500 ms, then 470 ms
                    // for its start (5 s), fails again: out of its one retry
                    List.of(Step.fail(30, 503, null), Step.fail(30, 503, null)));
            for (var script : calls) {
                stats.calls("work", 1);
                try {
                    call.call(new ArrayDeque<>(script));
                } catch (ApiException e) {
                    // counted by the listener
                }
            }
        });

        bot.run();

        assertEquals(Duration.ofMillis(5030), clock.elapsed());
        DemoStats.Snapshot s = stats.snapshot();
        assertEquals(6, s.attempts());
        assertEquals(4, s.calls());
        // Attempt times, sorted: 10, 30, 30, 50, 100, 200 ms. Nearest rank: the 3rd and the 6th.
        assertEquals(Duration.ofMillis(30), s.p50());
        assertEquals(Duration.ofMillis(200), s.p99());
        assertEquals(2, s.retries());
        assertEquals(1, s.retriesAfterRetryAfter());
        assertEquals(Set.of(Duration.ofMillis(300)), s.retryAfterWaits());
        assertEquals(1, s.recovered());
        assertEquals(1, s.rejected());
        assertEquals(1, s.failed());
        assertEquals(0, s.cancelled());
        assertEquals(new BotEvent.GroupWaited(bot.name(), "call", "api", WaitedFor.WINDOW_START, Duration.ofMillis(990)),
                s.longestWait());
        assertEquals(0, s.startupCalls());
        assertEquals(Map.of("work", new DemoStats.EmitCount(1, 4), "idle", new DemoStats.EmitCount(0, 0)), s.emits());
        assertEquals(List.of("work", "idle"), List.copyOf(s.emits().keySet()), "in the order the stats were made with");
    }

    /** Tests the nearest-rank percentiles on events fed by hand, and the summary's rounding. */
    @Test
    void percentilesAreNearestRankAndTheSummaryRoundsToTheMillisecond() {
        var stats = new DemoStats();
        assertNull(stats.snapshot().p50());
        for (int i = 100; i >= 1; i--) {   // 1..100 ms, out of order
            stats.onAttemptEnded(new BotEvent.AttemptEnded("b", "x", 1, List.of(), Outcome.SUCCESS, Duration.ofMillis(i), null));
        }
        stats.onAttemptEnded(new BotEvent.AttemptEnded("b", "x", 1, List.of(), Outcome.SUCCESS, Duration.ofSeconds(7), null));
        var s = stats.snapshot();
        assertEquals(101, s.attempts());
        assertEquals(Duration.ofMillis(51), s.p50(), "rank ceil(50.5) = 51");
        assertEquals(Duration.ofMillis(100), s.p99(), "rank ceil(99.99) = 100");
        assertEquals(Duration.ofMillis(1), DemoStats.percentile(List.of(Duration.ofMillis(1)), 99));
        assertThrows(IllegalArgumentException.class, () -> DemoStats.percentile(List.of(), 0));

        assertEquals("1.235s", Summary.millis(Duration.ofNanos(1_234_500_000)));
        assertEquals("12ms", Summary.millis(Duration.ofNanos(12_499_999)));
        assertEquals("0s", Summary.millis(Duration.ofNanos(499_999)));
        assertEquals("-", Summary.millis(null));
    }

    /**
     * Tests that the stats keep the group's changes of limits in order, count its pauses with the
     * longest, and count attempts per execute, from the events as a bot reports them.
     */
    @Test
    void keepsTheLimitChangesThePausesAndTheAttemptsOfEachExecute() {
        var stats = new DemoStats("prices");
        var twenty = GroupLimits.concurrency(5).perWindow(20, Duration.ofSeconds(1)).anchoredAtCompletion();
        var ten = GroupLimits.concurrency(5).perWindow(10, Duration.ofSeconds(1)).anchoredAtCompletion();
        stats.onGroupLimitsChanged(new BotEvent.GroupLimitsChanged("trader", "exchange", twenty, ten));
        var t = java.time.Instant.parse("2026-12-06T08:00:00Z");
        stats.onGroupPaused(new BotEvent.GroupPaused("trader", "exchange", t.plusMillis(400), Duration.ofMillis(400)));
        stats.onGroupPaused(new BotEvent.GroupPaused("trader", "exchange", t.plusSeconds(1), Duration.ofSeconds(1)));
        stats.onGroupPaused(new BotEvent.GroupPaused("trader", "exchange", t.plusMillis(700), Duration.ofMillis(700)));
        for (String execute : List.of("quote", "book", "quote", "order", "quote")) {
            stats.onAttemptStarted(new BotEvent.AttemptStarted("trader", execute, 1, List.of()));
        }

        var s = stats.snapshot();
        assertEquals(List.of(new BotEvent.GroupLimitsChanged("trader", "exchange", twenty, ten)), s.limitChanges());
        assertEquals(3, s.pauses());
        assertEquals(Duration.ofSeconds(1), s.longestPause());
        assertEquals(Map.of("book", 1L, "order", 1L, "quote", 3L), s.attemptsByExecute());
        assertNull(new DemoStats().snapshot().longestPause(), "no pause: none longest");
    }
}
