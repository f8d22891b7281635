package dev.exmachina.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.exmachina.core.ConcurrentGroup;
import dev.exmachina.core.EmitMode;
import dev.exmachina.core.EmitOptions;
import dev.exmachina.core.Execute;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.Forked;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.core.Machina;
import dev.exmachina.core.MachinaException;
import dev.exmachina.retry.Retry;
import dev.exmachina.retry.RetryRule;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Concurrent groups and executes on virtual time: DESIGN 4.3 and 4.4. */
@ExtendWith(VirtualClockExtension.class)
class GroupBehaviourTest {

    @Test
    void testsThatABurstStartsExactlyByTheSlidingWindowRule(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        bot.concurrentGroup("limit", GroupLimits.concurrency(4).perWindow(3, Duration.ofMillis(100)));
        long[] runs = {200, 100, 200, 200, 200};
        List<Long> starts = new ArrayList<>();
        Execute<Integer, Integer> work = bot.execute("work", ExecuteOptions.groups("limit"), i -> {
            starts.add(clock.elapsed().toMillis());
            clock.sleep(Duration.ofMillis(runs[i]));
            return i;
        });
        bot.emit("burst", EmitOptions.every("20ms").count(5).mode(EmitMode.ENTIRE),
                event -> event.execute(work, (int) event.epoch() - 1));

        bot.run();

        assertEquals(List.of(0L, 20L, 40L, 100L, 120L), starts);
    }

    @Test
    void testsThatNoIntervalOfTheWindowEverHoldsMoreStartsThanTheLimit(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        bot.concurrentGroup("api", GroupLimits.unlimited().perWindow(5, Duration.ofSeconds(1)));
        List<Long> starts = new ArrayList<>();
        Execute<Integer, Integer> call = bot.execute("call", ExecuteOptions.groups("api"), i -> {
            starts.add(clock.nanoTime());
            return i;
        });
        bot.emit("spray", EmitOptions.every("7ms").count(400), event -> event.execute(call, 0));

        bot.run();

        assertEquals(400, starts.size());
        long window = Duration.ofSeconds(1).toNanos();
        for (int i = 5; i < starts.size(); i++) {
            assertTrue(starts.get(i) - starts.get(i - 5) >= window, "6 starts within one window at " + i);
        }
        assertEquals(starts.get(5) - starts.get(0), window, "the limit is used fully, not just respected");
    }

    @Test
    void testsThatAnExecuteWithRetriesThreeRunsFourTimesAndLeavesNoInFlightCountBehind(VirtualClock clock) {
        var bot = Machina.builder().clock(clock).build();
        ConcurrentGroup group = bot.concurrentGroup("limit", GroupLimits.concurrency(1).perWindow(3, Duration.ofSeconds(1)));
        AtomicInteger attempts = new AtomicInteger();
        List<Long> at = new ArrayList<>();
        IOException failure = new IOException("down");
        Execute<String, String> flaky = bot.execute("flaky",
                ExecuteOptions.groups("limit").retry(Retry.of(RetryRule.fixed(IOException.class, Duration.ofMillis(100)).retries(3))),
                x -> {
                    attempts.incrementAndGet();
                    at.add(clock.elapsed().toMillis());
                    throw failure;
                });
        bot.emit("caller", EmitOptions.defaults().count(1), event -> flaky.call("x"));

        var thrown = assertThrows(MachinaException.class, bot::run);

        assertSame(failure, thrown.getCause());
        assertEquals(4, attempts.get());
        assertEquals(List.of(0L, 100L, 200L, 1000L), at, "the 4th start waits for the window; retry waits hold no slot");
        assertEquals(0, group.inFlight());
        assertEquals(0, group.waiting());
    }

    @Test
    void testsThatExecutesListingGroupsInOppositeOrdersNeverDeadlock(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        ConcurrentGroup a = bot.concurrentGroup("A", GroupLimits.concurrency(1));
        ConcurrentGroup b = bot.concurrentGroup("B", GroupLimits.concurrency(1));
        AtomicInteger done = new AtomicInteger();
        Execute<Integer, Integer> ab = bot.execute("ab", ExecuteOptions.groups("A", "B"), i -> {
            clock.sleep(Duration.ofMillis(10));
            return done.incrementAndGet();
        });
        Execute<Integer, Integer> ba = bot.execute("ba", ExecuteOptions.groups("B", "A"), i -> {
            clock.sleep(Duration.ofMillis(10));
            return done.incrementAndGet();
        });
        bot.emit("contend", EmitOptions.defaults().count(50), event -> {
            event.execute(ab, 0);
            event.execute(ba, 0);
        });

        bot.run();

        assertEquals(100, done.get());
        assertEquals(Duration.ofMillis(1000), clock.elapsed(), "one at a time: 100 x 10 ms");
        assertEquals(0, a.inFlight());
        assertEquals(0, b.inFlight());
    }

    @Test
    void testsThatAnInterruptedWaiterLeavesEveryPermitAvailable(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        ConcurrentGroup group = bot.concurrentGroup("one", GroupLimits.concurrency(1));
        Execute<Integer, Integer> hold = bot.execute("hold", ExecuteOptions.groups("one"), i -> {
            clock.sleep(Duration.ofSeconds(i));
            return i;
        });
        List<String> outcome = new ArrayList<>();
        bot.emit("main", EmitOptions.defaults().count(1), event -> {
            Forked<Integer> holder = event.execute(hold, 5);
            Forked<Integer> waiter = event.execute(hold, 1);
            event.sleep(Duration.ofSeconds(1));
            outcome.add("waiting=" + group.waiting() + " inFlight=" + group.inFlight());
            waiter.cancel();
            try {
                waiter.join();
            } catch (CancellationException e) {
                outcome.add("cancelled");
            }
            outcome.add("waiting=" + group.waiting() + " inFlight=" + group.inFlight());
            outcome.add("holder=" + holder.join() + " at " + clock.elapsed().toSeconds() + "s");
        });

        bot.run();

        assertEquals(List.of("waiting=1 inFlight=1", "cancelled", "waiting=0 inFlight=1", "holder=5 at 5s"), outcome);
        assertEquals(0, group.inFlight());
        assertEquals(0, group.waiting());
    }

    @Test
    void testsThatWaitersAreServedFirstComeFirstServed(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        bot.concurrentGroup("one", GroupLimits.concurrency(1));
        List<Integer> order = new ArrayList<>();
        Execute<Integer, Integer> work = bot.execute("work", ExecuteOptions.groups("one"), i -> {
            order.add(i);
            clock.sleep(Duration.ofMillis(10));
            return i;
        });
        bot.emit("many", EmitOptions.defaults().count(1), event -> {
            for (int i = 0; i < 20; i++) {
                event.execute(work, i);
            }
        });

        bot.run();

        assertEquals(java.util.stream.IntStream.range(0, 20).boxed().toList(), order);
    }

    @Test
    void testsThatAForkedFailureReachesItsJoinerUnchanged(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        IOException failure = new IOException("boom");
        Execute<Integer, Integer> fails = bot.execute("fails", ExecuteOptions.defaults(), i -> {
            throw failure;
        });
        List<Throwable> caught = new ArrayList<>();
        bot.emit("joiner", EmitOptions.defaults().count(1), event -> {
            try {
                event.execute("fails", 1).join();
            } catch (IOException e) {
                caught.add(e);
            }
        });

        bot.run();

        assertEquals(1, caught.size());
        assertSame(failure, caught.get(0));
    }
}
