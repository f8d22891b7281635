package dev.exmachina.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.exmachina.core.EmitOptions;
import dev.exmachina.core.Execute;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.Forked;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.core.Machina;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Weighted calls on virtual time: a window counts costs, not calls. */
@ExtendWith(VirtualClockExtension.class)
class WeightedCallsTest {

    /**
     * Tests that a window counts the cost of each call: 10 per second, calls costing 4, 4, 4 and 2
     * start at 0, 0, 1 s and 1 s (the third would make 12 in the first second).
     */
    @Test
    void aWindowCountsTheCostOfEachCallNotTheCalls(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        bot.concurrentGroup("api", GroupLimits.unlimited().perWindow(10, Duration.ofSeconds(1)));
        List<String> starts = Collections.synchronizedList(new ArrayList<>());
        Execute<Integer, Integer> call = bot.execute("call", ExecuteOptions.groups("api").cost(Integer.class, n -> n), n -> {
            starts.add(n + "@" + clock.elapsed().toMillis());
            return n;
        });
        bot.emit("main", EmitOptions.defaults().count(1), event -> {
            List<Forked<Integer>> forks = new ArrayList<>();
            for (int cost : new int[] {4, 4, 4, 2}) {
                forks.add(event.execute(call, cost));
                event.sleep(Duration.ofMillis(1));
            }
            for (var f : forks) {
                f.join();
            }
        });

        bot.run();

        assertEquals(List.of("4@0", "4@1", "4@1000", "2@1000"), starts);
    }

    /** Tests that a constant cost per endpoint counts in the window like any other: 3 calls of 5 in a window of 10. */
    @Test
    void aConstantCostCountsForEveryCall(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        bot.concurrentGroup("api", GroupLimits.unlimited().perWindow(10, Duration.ofSeconds(1)));
        List<Long> starts = new ArrayList<>();
        Execute<Integer, Integer> book = bot.execute("book", ExecuteOptions.groups("api").cost(5), n -> {
            starts.add(clock.elapsed().toMillis());
            return n;
        });
        bot.emit("main", EmitOptions.defaults().count(1), event -> {
            for (int i = 0; i < 3; i++) {
                book.call(i);
            }
        });

        bot.run();

        assertEquals(List.of(0L, 0L, 1000L), starts);
    }

    /**
     * Tests that a cost settled after the attempt replaces the estimate at the same start: a call
     * estimated at 1 that used 9 leaves room for 1 more in its second, so a call of 5 waits until it
     * is over; a failed call keeps its estimate.
     */
    @Test
    void aCostSettledAfterTheAttemptReplacesTheEstimate(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        bot.concurrentGroup("llm", GroupLimits.unlimited().perWindow(10, Duration.ofSeconds(1)));
        List<String> starts = Collections.synchronizedList(new ArrayList<>());
        Execute<Integer, Integer> ask = bot.execute("ask", ExecuteOptions.groups("llm")
                .cost(Integer.class, prompt -> prompt).costAfter(Integer.class, used -> used), prompt -> {
                    starts.add("ask " + prompt + "@" + clock.elapsed().toMillis());
                    return prompt == 1 ? 9 : prompt;
                });
        bot.emit("main", EmitOptions.defaults().count(1), event -> {
            ask.call(1); // estimated 1, used 9
            ask.call(1); // 9 + 1 = 10: fits
            ask.call(5); // 15 > 10: the next second
        });

        bot.run();

        assertEquals(List.of("ask 1@0", "ask 1@0", "ask 5@1000"), starts);
    }

    /** Tests that a call costing more than a window allows fails at once, naming the cost and the window. */
    @Test
    void aCostLargerThanTheWindowIsRefusedNamingBoth(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        bot.concurrentGroup("api", GroupLimits.concurrency(2).perWindow(10, Duration.ofSeconds(1)));
        Execute<Integer, Integer> call = bot.execute("call", ExecuteOptions.groups("api").cost(Integer.class, n -> n), n -> n);
        var refused = new ArrayList<IllegalArgumentException>();
        bot.emit("main", EmitOptions.defaults().count(1), event -> {
            refused.add(assertThrows(IllegalArgumentException.class, () -> call.call(11)));
        });

        bot.run();

        String message = refused.get(0).getMessage();
        assertTrue(message.contains("costing 11") && message.contains("10 per 1s") && message.contains("'api'"), message);
    }

    /** Tests that a cost without a group is refused at registration, naming the execute. */
    @Test
    void aCostWithoutAGroupIsRefusedAtRegistration(VirtualClock clock) {
        var bot = Machina.builder().clock(clock).build();
        var e = assertThrows(IllegalArgumentException.class,
                () -> bot.execute("call", ExecuteOptions.defaults().cost(3), (Integer n) -> n));
        assertTrue(e.getMessage().contains("'call'") && e.getMessage().contains("cost 3"), e.getMessage());
    }
}
