package dev.exmachina.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.exmachina.core.ConcurrentGroup;
import dev.exmachina.core.EmitOptions;
import dev.exmachina.core.Execute;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.Forked;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.core.GroupWaitTimeoutException;
import dev.exmachina.core.Machina;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Windows anchored at completion: a start occupies its place from the attempt's start until a
 * window after the attempt ended, so a server counting a request anywhere inside the attempt never
 * sees more than the limit. On the virtual clock, exact.
 */
@ExtendWith(VirtualClockExtension.class)
class WindowAnchorTest {

    /** The most instants in any half-open interval {@code [x, x + window)}. */
    private static int mostInAnyWindow(long[] instants, long window) {
        long[] sorted = instants.clone();
        Arrays.sort(sorted);
        int most = 0;
        for (int i = 0, j = 0; i < sorted.length; i++) {
            while (sorted[i] - sorted[j] >= window) {
                j++;
            }
            most = Math.max(most, i - j + 1);
        }
        return most;
    }

    /**
     * Runs {@code calls} calls from {@code clients} concurrent forks through a group of
     * {@code limits}; each attempt takes a random latency in [0, 800 ms] and a fake server stamps
     * its arrival at a random instant inside the attempt. Returns the server's arrival instants.
     */
    private static long[] serverArrivals(VirtualClock clock, GroupLimits limits, int calls, int clients, long seed)
            throws Exception {
        var bot = Machina.builder().clock(clock).build();
        bot.concurrentGroup("api", limits);
        SplittableRandom random = new SplittableRandom(seed); // one bot thread runs at a time: deterministic
        long[] arrivals = new long[calls];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger served = new AtomicInteger();
        Execute<Integer, Integer> request = bot.execute("request", ExecuteOptions.groups("api"), k -> {
            long latency = random.nextLong(800_000_001L);
            long arrival = random.nextLong(latency + 1);
            clock.sleep(Duration.ofNanos(arrival));
            arrivals[k] = clock.nanoTime();
            served.incrementAndGet();
            clock.sleep(Duration.ofNanos(latency - arrival));
            return k;
        });
        Execute<Integer, Integer> client = bot.execute("client", ExecuteOptions.defaults(), i -> {
            for (int k = next.getAndIncrement(); k < calls; k = next.getAndIncrement()) {
                request.call(k);
            }
            return i;
        });
        bot.emit("clients", EmitOptions.defaults().count(1), event -> {
            List<Forked<Integer>> forks = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                forks.add(event.execute(client, c));
            }
            for (Forked<Integer> fork : forks) {
                fork.join();
            }
        });
        bot.run();
        assertEquals(calls, served.get());
        return arrivals;
    }

    /**
     * Tests that a window anchored at completion keeps a server that counts requests on arrival at
     * or under its limit, whatever the latency: 100,000 calls from 32 clients, latencies uniform in
     * [0, 800 ms], arrivals anywhere inside each attempt, 10 per second: 0 windows over 10 (seed 42).
     */
    @Test
    void completionAnchoredWindowHoldsWhereTheServerCounts(VirtualClock clock) throws Exception {
        long window = Duration.ofSeconds(1).toNanos();
        long[] arrivals = serverArrivals(clock,
                GroupLimits.unlimited().perWindow(10, Duration.ofSeconds(1)).anchoredAtCompletion(), 100_000, 32, 42);

        assertEquals(10, mostInAnyWindow(arrivals, window), "the server saw more than 10 in some second");
    }

    /**
     * Tests that the same load through a window anchored at starts (exact on starts) lets the server
     * see more than the limit: the reason to anchor at completion when latency varies.
     */
    @Test
    void startAnchoredWindowDoesNotHoldWhereTheServerCounts(VirtualClock clock) throws Exception {
        long window = Duration.ofSeconds(1).toNanos();
        long[] arrivals = serverArrivals(clock, GroupLimits.unlimited().perWindow(10, Duration.ofSeconds(1)), 10_000, 32, 42);

        int most = mostInAnyWindow(arrivals, window);
        assertTrue(most > 10, "arrivals bunch up when latency varies: " + most);
    }

    /**
     * Tests the instants of a completion-anchored window: 2 per second, four calls at 0 that each
     * take 500 ms start at 0, 0, 1.5 s and 1.5 s (each place comes free a second after its attempt
     * ended); a call waiting for an end counts as waiting.
     */
    @Test
    void aPlaceComesFreeAWindowAfterItsAttemptEnded(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        ConcurrentGroup api = bot.concurrentGroup("api",
                GroupLimits.unlimited().perWindow(2, Duration.ofSeconds(1)).anchoredAtCompletion());
        List<Long> starts = Collections.synchronizedList(new ArrayList<>());
        Execute<Integer, Integer> call = bot.execute("call", ExecuteOptions.groups("api"), i -> {
            starts.add(clock.elapsed().toMillis());
            clock.sleep(Duration.ofMillis(500));
            return i;
        });
        List<String> seen = new ArrayList<>();
        bot.emit("main", EmitOptions.defaults().count(1), event -> {
            List<Forked<Integer>> forks = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                forks.add(event.execute(call, i));
            }
            event.sleep(Duration.ofMillis(100));
            seen.add("inFlight=" + api.inFlight() + " waiting=" + api.waiting());
            for (Forked<Integer> fork : forks) {
                fork.join();
            }
        });
        bot.run();

        assertEquals(List.of(0L, 0L, 1500L, 1500L), starts);
        assertEquals(List.of("inFlight=2 waiting=2"), seen);
        assertEquals(Duration.ofMillis(2000), clock.elapsed());
    }

    /**
     * Tests that waiters queued for a place in a completion window give everything back when
     * cancelled: the group counts nobody waiting, and after the running call ends a new call starts
     * a window later.
     */
    @Test
    void cancelledWaitersForAPlaceHoldNothing(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        ConcurrentGroup api = bot.concurrentGroup("api",
                GroupLimits.concurrency(10).perWindow(1, Duration.ofSeconds(1)).anchoredAtCompletion());
        List<Long> starts = Collections.synchronizedList(new ArrayList<>());
        Execute<Integer, Integer> call = bot.execute("call", ExecuteOptions.groups("api"), i -> {
            starts.add(clock.elapsed().toMillis());
            clock.sleep(Duration.ofSeconds(3));
            return i;
        });
        List<String> seen = new ArrayList<>();
        bot.emit("main", EmitOptions.defaults().count(1), event -> {
            Forked<Integer> running = event.execute(call, 0);
            List<Forked<Integer>> waiters = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                waiters.add(event.execute(call, i));
            }
            event.sleep(Duration.ofSeconds(1));
            seen.add("inFlight=" + api.inFlight() + " waiting=" + api.waiting());
            for (Forked<Integer> waiter : waiters) {
                waiter.cancel();
                assertInstanceOf(CancellationException.class, catchJoin(waiter));
            }
            seen.add("inFlight=" + api.inFlight() + " waiting=" + api.waiting());
            running.join();
            call.call(4);
        });
        bot.run();

        assertEquals(List.of("inFlight=1 waiting=3", "inFlight=1 waiting=0"), seen);
        assertEquals(List.of(0L, 4000L), starts);
    }

    /**
     * Tests that {@code maxWait} bounds a wait for a place in a completion window: with the only
     * place held by a 5 s call, a call that may wait 2 s fails at 2 s holding nothing, and the next
     * call starts a window after the first ended (6 s).
     */
    @Test
    void maxWaitBoundsTheWaitForAPlace(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        ConcurrentGroup api = bot.concurrentGroup("api",
                GroupLimits.unlimited().perWindow(1, Duration.ofSeconds(1)).anchoredAtCompletion());
        List<Long> starts = Collections.synchronizedList(new ArrayList<>());
        Execute<Integer, Integer> slow = bot.execute("slow", ExecuteOptions.groups("api"), i -> {
            starts.add(clock.elapsed().toMillis());
            clock.sleep(Duration.ofSeconds(5));
            return i;
        });
        Execute<Integer, Integer> impatient = bot.execute("impatient",
                ExecuteOptions.groups("api").maxWait(Duration.ofSeconds(2)), i -> {
                    starts.add(-1L);
                    return i;
                });
        List<String> seen = new ArrayList<>();
        bot.emit("main", EmitOptions.defaults().count(1), event -> {
            Forked<Integer> first = event.execute(slow, 0);
            event.sleep(Duration.ofMillis(1));
            Throwable thrown = catchJoin(event.execute(impatient, 1));
            assertInstanceOf(GroupWaitTimeoutException.class, thrown);
            seen.add(clock.elapsed().toMillis() + " ms, waiting=" + api.waiting() + ", inFlight=" + api.inFlight());
            first.join();
            slow.call(2);
        });
        bot.run();

        assertEquals(List.of("2001 ms, waiting=0, inFlight=1"), seen);
        assertEquals(List.of(0L, 6000L), starts);
    }

    private static Throwable catchJoin(Forked<Integer> forked) {
        try {
            forked.join();
            return new AssertionError("joined without failure");
        } catch (Throwable t) {
            return t;
        }
    }
}
