package dev.exmachina.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.exmachina.core.ConcurrentGroup;
import dev.exmachina.core.EmitOptions;
import dev.exmachina.core.Execute;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.core.Machina;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A group that takes the server's word for what is left of its quota ({@code ConcurrentGroup.limitUntil}). */
@ExtendWith(VirtualClockExtension.class)
class QuotaLeftTest {

    /**
     * Runs {@code callers} calls of 100 ms at once through group "api" (after {@code before} told it
     * something) and returns the milliseconds at which each started, in order.
     */
    private static List<Long> starts(VirtualClock clock, GroupLimits limits, ExecuteOptions options, int callers,
            Consumer<ConcurrentGroup> before) throws InterruptedException {
        var bot = Machina.builder().clock(clock).build();
        ConcurrentGroup api = bot.concurrentGroup("api", limits);
        List<Long> started = Collections.synchronizedList(new ArrayList<>());
        Execute<Integer, Integer> call = bot.execute("call", options, i -> {
            started.add(clock.elapsed().toMillis());
            clock.sleep(Duration.ofMillis(100));
            return i;
        });
        bot.emit("main", EmitOptions.defaults().count(1), event -> {
            before.accept(api);
            var calls = new ArrayList<dev.exmachina.core.Forked<Integer>>();
            for (int i = 0; i < callers; i++) {
                calls.add(event.execute(call, i));
            }
            for (var f : calls) {
                f.join();
            }
        });
        bot.run();
        List<Long> sorted = new ArrayList<>(started);
        Collections.sort(sorted);
        return sorted;
    }

    /** Tests that 3 left until a reset in 10 s let 3 of 5 callers start now and the other 2 at the reset. */
    @Test
    void threeLeftLetThreeOfFiveCallersStartNowAndTwoAtTheReset(VirtualClock clock) throws InterruptedException {
        List<Long> started = starts(clock, GroupLimits.concurrency(8), ExecuteOptions.groups("api"), 5,
                api -> api.limitUntil(3, clock.instant().plusSeconds(10)));

        assertEquals(List.of(0L, 0L, 0L, 10_000L, 10_000L), started);
    }

    /** Tests that a start needs room in the budget and in the window: the window spaces what the budget allows. */
    @Test
    void aStartNeedsRoomInTheBudgetAndInTheWindow(VirtualClock clock) throws InterruptedException {
        List<Long> started = starts(clock, GroupLimits.concurrency(8).perWindow(2, Duration.ofSeconds(1)),
                ExecuteOptions.groups("api"), 5, api -> api.limitUntil(3, clock.instant().plusSeconds(10)));

        assertEquals(List.of(0L, 0L, 1_000L, 10_000L, 10_000L), started);
    }

    /** Tests that weighted calls count their cost in the budget: 5 left hold two calls costing 2, not three. */
    @Test
    void weightedCallsCountTheirCostInTheBudget(VirtualClock clock) throws InterruptedException {
        List<Long> started = starts(clock, GroupLimits.concurrency(8), ExecuteOptions.groups("api").cost(2), 3,
                api -> api.limitUntil(5, clock.instant().plusSeconds(10)));

        assertEquals(List.of(0L, 0L, 10_000L), started);
    }

    /** Tests that a later announcement replaces the earlier one: its count and its reset. */
    @Test
    void aLaterAnnouncementReplacesTheEarlierOne(VirtualClock clock) throws InterruptedException {
        List<Long> started = starts(clock, GroupLimits.concurrency(8), ExecuteOptions.groups("api"), 5, api -> {
            api.limitUntil(1, clock.instant().plusSeconds(10));
            api.limitUntil(2, clock.instant().plusSeconds(5));
        });

        assertEquals(List.of(0L, 0L, 5_000L, 5_000L, 5_000L), started);
    }

    /** Tests that after the reset the budget limits nothing: the concurrency alone decides again. */
    @Test
    void afterTheResetTheBudgetLimitsNothing(VirtualClock clock) throws InterruptedException {
        List<Long> started = starts(clock, GroupLimits.concurrency(2), ExecuteOptions.groups("api"), 5,
                api -> api.limitUntil(1, clock.instant().plusSeconds(1)));

        // 1 at 0; the second, then the third (the first's slot at 100 ms) hold their slots until the reset;
        // from then on only the concurrency of 2 spaces them.
        assertEquals(List.of(0L, 1_000L, 1_000L, 1_100L, 1_100L), started);
    }

    /** Tests that a pause still holds everyone: the budget's room is used from the pause's end, the rest waits for the reset. */
    @Test
    void aPauseHoldsTheBudgetsRoomUntilItEnds(VirtualClock clock) throws InterruptedException {
        List<Long> started = starts(clock, GroupLimits.concurrency(8), ExecuteOptions.groups("api"), 3, api -> {
            api.limitUntil(1, clock.instant().plusSeconds(10));
            api.pauseUntil(clock.instant().plusSeconds(5));
        });

        assertEquals(List.of(5_000L, 10_000L, 10_000L), started);
    }

    /**
     * Tests that an execute through two groups starts only with room in both: the budget of one and
     * the window of the other, decided together.
     */
    @Test
    void anExecuteThroughTwoGroupsNeedsTheBudgetOfOneAndTheWindowOfTheOther(VirtualClock clock)
            throws InterruptedException {
        var bot = Machina.builder().clock(clock).build();
        ConcurrentGroup api = bot.concurrentGroup("api", GroupLimits.concurrency(8));
        bot.concurrentGroup("account", GroupLimits.concurrency(8).perWindow(1, Duration.ofSeconds(1)));
        List<Long> started = Collections.synchronizedList(new ArrayList<>());
        Execute<Integer, Integer> call = bot.execute("call", ExecuteOptions.groups("account", "api"), i -> {
            started.add(clock.elapsed().toMillis());
            return i;
        });
        bot.emit("main", EmitOptions.defaults().count(1), event -> {
            api.limitUntil(2, clock.instant().plusSeconds(5));
            var calls = new ArrayList<dev.exmachina.core.Forked<Integer>>();
            for (int i = 0; i < 4; i++) {
                calls.add(event.execute(call, i));
            }
            for (var f : calls) {
                f.join();
            }
        });
        bot.run();

        List<Long> sorted = new ArrayList<>(started);
        Collections.sort(sorted);
        // the window spaces the budget's two (0 s, 1 s); the rest wait for the reset, then the window: 5 s, 6 s
        assertEquals(List.of(0L, 1_000L, 5_000L, 6_000L), sorted);
    }

    /** Tests that an announcement whose reset has come does nothing, and a negative remaining is refused. */
    @Test
    void aPastResetDoesNothingAndANegativeRemainingIsRefused(VirtualClock clock) throws InterruptedException {
        List<Long> started = starts(clock, GroupLimits.concurrency(8), ExecuteOptions.groups("api"), 3, api -> {
            api.limitUntil(0, clock.instant());
            var refused = assertThrows(IllegalArgumentException.class,
                    () -> api.limitUntil(-1, clock.instant().plusSeconds(1)));
            assertTrue(refused.getMessage().contains("was -1"), refused.getMessage());
        });

        assertEquals(List.of(0L, 0L, 0L), started);
    }
}
