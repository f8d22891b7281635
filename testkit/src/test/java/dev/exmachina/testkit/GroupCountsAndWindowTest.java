package dev.exmachina.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.exmachina.core.ConcurrentGroup;
import dev.exmachina.core.EmitOptions;
import dev.exmachina.core.Execute;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.Forked;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.core.Machina;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What a group counts ({@code inFlight}, {@code waiting}) and that cancelled waiters never overrun a window. */
@ExtendWith(VirtualClockExtension.class)
class GroupCountsAndWindowTest {

    /**
     * Tests that an attempt waiting for its window start counts as waiting, not in flight: in
     * flight is running its handler, waiting is everything not started yet.
     */
    @Test
    void testsThatAWindowWaiterIsWaitingNotInFlight(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        ConcurrentGroup group = bot.concurrentGroup("g", GroupLimits.concurrency(2).perWindow(1, Duration.ofSeconds(1)));
        List<Long> starts = new ArrayList<>();
        Execute<Integer, Integer> work = bot.execute("work", ExecuteOptions.groups("g"), i -> {
            starts.add(clock.elapsed().toMillis());
            clock.sleep(Duration.ofSeconds(5));
            return i;
        });
        List<String> counts = new ArrayList<>();
        bot.emit("main", EmitOptions.defaults().count(1), event -> {
            for (int i = 0; i < 4; i++) {
                event.execute(work, i);
            }
            for (int at : new int[] {500, 1_500, 5_500, 6_500, 11_500}) {
                event.sleep(Duration.ofMillis(at).minus(clock.elapsed()));
                counts.add(at + "ms inFlight=" + group.inFlight() + " waiting=" + group.waiting());
            }
        });

        bot.run();

        assertEquals(List.of(0L, 1000L, 5000L, 6000L), starts);
        assertEquals(List.of(
                "500ms inFlight=1 waiting=3",     // one runs, one holds a slot for its start at 1 s, two queue
                "1500ms inFlight=2 waiting=2",
                "5500ms inFlight=2 waiting=1",
                "6500ms inFlight=2 waiting=0",
                "11500ms inFlight=0 waiting=0"), counts);
    }

    /**
     * Tests that an attempt holding one group's slot while it queues for another's counts as
     * waiting in both groups, and in flight in neither.
     */
    @Test
    void testsThatAPartlyAdmittedAttemptIsWaitingInEveryGroup(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        ConcurrentGroup a = bot.concurrentGroup("A", GroupLimits.concurrency(1));
        ConcurrentGroup b = bot.concurrentGroup("B", GroupLimits.concurrency(1));
        Execute<Integer, Integer> onB = bot.execute("onB", ExecuteOptions.groups("B"), i -> {
            clock.sleep(Duration.ofSeconds(2));
            return i;
        });
        Execute<Integer, Integer> onBoth = bot.execute("onBoth", ExecuteOptions.groups("B", "A"), i -> {
            clock.sleep(Duration.ofSeconds(2));
            return i;
        });
        List<String> counts = new ArrayList<>();
        bot.emit("main", EmitOptions.defaults().count(1), event -> {
            Forked<Integer> first = event.execute(onB, 0);
            Forked<Integer> second = event.execute(onBoth, 1);
            event.sleep(Duration.ofSeconds(1));
            counts.add("A " + a.inFlight() + "/" + a.waiting() + " B " + b.inFlight() + "/" + b.waiting());
            first.join();
            event.sleep(Duration.ofSeconds(1));
            counts.add("A " + a.inFlight() + "/" + a.waiting() + " B " + b.inFlight() + "/" + b.waiting());
            second.join();
            counts.add("A " + a.inFlight() + "/" + a.waiting() + " B " + b.inFlight() + "/" + b.waiting());
        });

        bot.run();

        assertEquals(List.of("A 0/1 B 1/1", "A 1/0 B 1/0", "A 0/0 B 0/0"), counts);
    }

    /**
     * Tests, over many random schedules, that no interval of a window ever holds more actual
     * starts than its limit while waiters are cancelled at random (their reservations given back),
     * and that no cancelled attempt ever starts.
     */
    @Test
    void testsThatCancelledWaitersNeverLetAWindowOverrun() throws Exception {
        for (long seed = 1; seed <= 25; seed++) {
            checkOneSchedule(seed);
        }
    }

    private static void checkOneSchedule(long seed) throws Exception {
        VirtualClock clock = VirtualClock.builder().seed(seed).build();
        Random random = new Random(seed);
        var bot = Machina.builder().clock(clock).build();
        GroupLimits limitsA = GroupLimits.concurrency(1 + random.nextInt(4)).perWindow(1 + random.nextInt(3), Duration.ofMillis(700));
        GroupLimits limitsB = GroupLimits.unlimited().perWindow(1 + random.nextInt(4), Duration.ofMillis(1_100));
        bot.concurrentGroup("A", limitsA);
        bot.concurrentGroup("B", limitsB);
        Map<String, List<Long>> starts = new HashMap<>(Map.of("A", new ArrayList<>(), "B", new ArrayList<>()));
        int calls = 150;
        boolean[] cancelled = new boolean[calls];
        AtomicInteger startedAfterCancel = new AtomicInteger();
        List<Execute<Integer, Integer>> executes = new ArrayList<>();
        for (List<String> groups : List.of(List.of("A"), List.of("B"), List.of("A", "B"))) {
            executes.add(bot.execute(String.join("", groups), ExecuteOptions.groups(groups.toArray(String[]::new)), i -> {
                if (cancelled[i]) {
                    startedAfterCancel.incrementAndGet();
                }
                groups.forEach(g -> starts.get(g).add(clock.nanoTime()));
                clock.sleep(Duration.ofMillis(i * 37L % 400));
                return i;
            }));
        }
        List<Forked<Integer>> forks = new ArrayList<>();
        bot.emit("spray", EmitOptions.every("40ms").count(calls), event -> {
            int i = (int) event.epoch() - 1;
            forks.add(event.execute(executes.get(random.nextInt(executes.size())), i));
            for (int k = 0; k < 2; k++) {
                int victim = random.nextInt(forks.size());
                if (random.nextInt(3) == 0 && !forks.get(victim).isDone()) {
                    cancelled[victim] = true;
                    forks.get(victim).cancel();
                }
            }
        });

        bot.run();

        assertEquals(0, startedAfterCancel.get(), "seed " + seed + ": a cancelled attempt started");
        checkWindow("seed " + seed + " A", starts.get("A"), limitsA);
        checkWindow("seed " + seed + " B", starts.get("B"), limitsB);
    }

    private static void checkWindow(String what, List<Long> starts, GroupLimits limits) {
        List<Long> sorted = starts.stream().sorted().toList();
        int n = limits.callsPerWindow();
        long window = limits.window().toNanos();
        assertTrue(sorted.size() > n, what + ": too few starts to check: " + sorted.size());
        for (int i = n; i < sorted.size(); i++) {
            long span = sorted.get(i) - sorted.get(i - n);
            assertTrue(span >= window, what + ": " + (n + 1) + " starts within " + span + " ns, window " + window);
        }
    }
}
