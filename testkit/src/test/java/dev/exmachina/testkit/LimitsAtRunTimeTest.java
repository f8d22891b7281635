package dev.exmachina.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.exmachina.core.BotEvent;
import dev.exmachina.core.BotListener;
import dev.exmachina.core.ConcurrentGroup;
import dev.exmachina.core.EmitOptions;
import dev.exmachina.core.Execute;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.core.Machina;
import dev.exmachina.retry.Retry;
import dev.exmachina.retry.RetryRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Limits that follow the API while the bot runs: pauses, pauses ordered by a failure, changed limits. */
@ExtendWith(VirtualClockExtension.class)
class LimitsAtRunTimeTest {

    /** A failure carrying the server's Retry-After. */
    static final class TooManyRequests extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final Duration retryAfter;

        TooManyRequests(Duration retryAfter) {
            super("429, retry after " + retryAfter);
            this.retryAfter = retryAfter;
        }
    }

    /**
     * Tests that a paused group starts nothing before the pause ends, lets the running attempt finish,
     * then starts its waiters first come, first served as its window allows; the pause is an event.
     */
    @Test
    void aPausedGroupStartsNothingUntilThePauseEndsAndRunningAttemptsFinish(VirtualClock clock) throws Exception {
        List<BotEvent.GroupPaused> paused = Collections.synchronizedList(new ArrayList<>());
        var bot = Machina.builder().clock(clock).listener(new BotListener() {
            @Override
            public void onGroupPaused(BotEvent.GroupPaused event) {
                paused.add(event);
            }
        }).build();
        ConcurrentGroup api = bot.concurrentGroup("api", GroupLimits.concurrency(4).perWindow(2, Duration.ofSeconds(1)));
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        Execute<Integer, Integer> call = bot.execute("call", ExecuteOptions.groups("api"), i -> {
            log.add(i + "@" + clock.elapsed().toMillis());
            clock.sleep(Duration.ofMillis(300));
            log.add(i + " done@" + clock.elapsed().toMillis());
            return i;
        });
        bot.emit("main", EmitOptions.defaults().count(1), event -> {
            var first = event.execute(call, 0);
            event.sleep(Duration.ofMillis(100));
            api.pauseUntil(clock.instant().plus(Duration.ofSeconds(5)));
            var rest = List.of(event.execute(call, 1), event.execute(call, 2), event.execute(call, 3));
            first.join();
            for (var f : rest) {
                f.join();
            }
        });

        bot.run();

        assertEquals(List.of("0@0", "0 done@300", "1@5100", "2@5100", "1 done@5400", "2 done@5400", "3@6100",
                "3 done@6400"), log);
        assertEquals(1, paused.size());
        assertEquals("api", paused.get(0).group());
        assertEquals(Duration.ofSeconds(5), paused.get(0).pause());
    }

    /**
     * Tests that a failure matching a pause rule pauses every group of the execute for the duration the
     * failure carries, and the retry after it waits for the pause: the 429's Retry-After holds for the
     * other callers too.
     */
    @Test
    void aFailureMatchingAPauseRulePausesTheExecutesGroups(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        ConcurrentGroup api = bot.concurrentGroup("api", GroupLimits.concurrency(2));
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        Execute<Integer, Integer> order = bot.execute("order", ExecuteOptions.groups("api")
                .pauseOn(TooManyRequests.class, e -> e.retryAfter)
                .retry(Retry.of(RetryRule.fixed(TooManyRequests.class, Duration.ofMillis(10)).retries(1))), i -> {
                    log.add("order@" + clock.elapsed().toMillis());
                    if (log.size() == 1) {
                        throw new TooManyRequests(Duration.ofSeconds(3));
                    }
                    return i;
                });
        Execute<Integer, Integer> quote = bot.execute("quote", ExecuteOptions.groups("api"), i -> {
            log.add("quote@" + clock.elapsed().toMillis());
            return i;
        });
        bot.emit("main", EmitOptions.defaults().count(1), event -> {
            var o = event.execute(order, 1);
            event.sleep(Duration.ofMillis(500));
            assertTrue(api.pausedUntil().isPresent());
            quote.call(2);
            o.join();
        });

        bot.run();

        assertEquals(List.of("order@0", "order@3000", "quote@3000"), log);
    }

    /**
     * Tests that raising a group's concurrency at run time starts its queued waiters at once, and that
     * lowering it cancels nothing: the attempts running finish, and new ones start only when fewer than
     * the new limit run.
     */
    @Test
    void raisingTheConcurrencyStartsWaitersAtOnceAndLoweringItCancelsNothing(VirtualClock clock) throws Exception {
        List<BotEvent.GroupLimitsChanged> changes = Collections.synchronizedList(new ArrayList<>());
        var bot = Machina.builder().clock(clock).listener(new BotListener() {
            @Override
            public void onGroupLimitsChanged(BotEvent.GroupLimitsChanged event) {
                changes.add(event);
            }
        }).build();
        ConcurrentGroup api = bot.concurrentGroup("api", GroupLimits.concurrency(1));
        List<String> starts = Collections.synchronizedList(new ArrayList<>());
        Execute<Integer, Integer> call = bot.execute("call", ExecuteOptions.groups("api"), i -> {
            starts.add(i + "@" + clock.elapsed().toMillis());
            clock.sleep(Duration.ofSeconds(1));
            return i;
        });
        bot.emit("main", EmitOptions.defaults().count(1), event -> {
            var forks = new ArrayList<dev.exmachina.core.Forked<Integer>>();
            for (int i = 0; i < 6; i++) {
                forks.add(event.execute(call, i));
            }
            event.sleep(Duration.ofMillis(200));
            api.changeLimits(GroupLimits.concurrency(3));
            event.sleep(Duration.ofMillis(100));
            api.changeLimits(GroupLimits.concurrency(1));
            for (var f : forks) {
                f.join();
            }
        });

        bot.run();

        assertEquals(List.of("0@0", "1@200", "2@200", "3@1200", "4@2200", "5@3200"), starts);
        assertEquals(2, changes.size());
        assertEquals(GroupLimits.concurrency(1), api.limits());
    }

    /** Tests that a change that would swap the group's circuit breaker is refused, naming both. */
    @Test
    void aChangeOfLimitsCannotSwapTheCircuitBreaker(VirtualClock clock) {
        var bot = Machina.builder().clock(clock).build();
        ConcurrentGroup api = bot.concurrentGroup("api", GroupLimits.concurrency(1));
        var breaker = dev.exmachina.core.CircuitBreaker.builder("b").build();
        var e = assertThrows(IllegalArgumentException.class,
                () -> api.changeLimits(GroupLimits.concurrency(2).circuitBreaker(breaker)));
        assertTrue(e.getMessage().contains("circuit breaker"), e.getMessage());
        assertEquals(GroupLimits.concurrency(1), api.limits());
    }

    /**
     * Tests that a group with two windows starts an attempt only when both allow it: 2 per second and
     * 3 per 10 seconds, six calls one after the other start at 0, 0, 1 s, 10 s, 10 s and 11 s.
     */
    @Test
    void aGroupWithTwoWindowsStartsWhenBothAllow(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        bot.concurrentGroup("api", GroupLimits.concurrency(4).perWindow(2, Duration.ofSeconds(1))
                .perWindow(3, Duration.ofSeconds(10)));
        List<Long> starts = new ArrayList<>();
        Execute<Integer, Integer> call = bot.execute("call", ExecuteOptions.groups("api"), i -> {
            starts.add(clock.elapsed().toMillis());
            return i;
        });
        bot.emit("main", EmitOptions.defaults().count(1), event -> {
            for (int i = 0; i < 6; i++) {
                call.call(i);
            }
        });

        bot.run();

        assertEquals(List.of(0L, 0L, 1_000L, 10_000L, 10_000L, 11_000L), starts);
    }

    /**
     * Tests that lowering a window's limit at run time applies to the starts reserved under the old
     * one: 2 per second, four calls at once reserve 0, 0, 1 s, 1 s; lowered to 1 per second at 0.5 s,
     * the two reserved at 1 s start at 1 s and 2 s, and no started attempt is cancelled.
     */
    @Test
    void loweringAWindowAtRunTimeMovesTheStartsReservedUnderTheOldLimit(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        ConcurrentGroup api = bot.concurrentGroup("api", GroupLimits.concurrency(4).perWindow(2, Duration.ofSeconds(1)));
        List<Long> starts = Collections.synchronizedList(new ArrayList<>());
        Execute<Integer, Integer> call = bot.execute("call", ExecuteOptions.groups("api"), i -> {
            starts.add(clock.elapsed().toMillis());
            clock.sleep(Duration.ofMillis(700));
            return i;
        });
        bot.emit("main", EmitOptions.defaults().count(1), event -> {
            var forks = new ArrayList<dev.exmachina.core.Forked<Integer>>();
            for (int i = 0; i < 4; i++) {
                forks.add(event.execute(call, i));
            }
            event.sleep(Duration.ofMillis(500));
            api.changeLimits(GroupLimits.concurrency(4).perWindow(1, Duration.ofSeconds(1)));
            for (var f : forks) {
                f.join();
            }
        });

        bot.run();

        assertEquals(List.of(0L, 0L, 1_000L, 2_000L), starts.stream().sorted().toList());
    }

    /** Tests that a change adding a window or changing an anchor is refused by the in-memory group, naming both. */
    @Test
    void aChangeOfTheWindowsAnchorsIsRefused(VirtualClock clock) {
        var bot = Machina.builder().clock(clock).build();
        ConcurrentGroup api = bot.concurrentGroup("api", GroupLimits.concurrency(1).perWindow(5, Duration.ofSeconds(1)));
        var e = assertThrows(IllegalArgumentException.class,
                () -> api.changeLimits(GroupLimits.concurrency(1).perWindow(5, Duration.ofSeconds(1)).anchoredAtCompletion()));
        assertTrue(e.getMessage().contains("5 per 1s (anchored at completion)"), e.getMessage());
    }
}
