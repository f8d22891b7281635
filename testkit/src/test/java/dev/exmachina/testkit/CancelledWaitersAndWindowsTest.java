package dev.exmachina.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.exmachina.core.ConcurrentGroup;
import dev.exmachina.core.EmitOptions;
import dev.exmachina.core.Execute;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.Forked;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.core.Machina;
import dev.exmachina.retry.Retry;
import dev.exmachina.retry.RetryRule;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a concurrent group does with cancelled waiters (they never start, give their reserved starts
 * back, are never retried) and with extreme windows, through the public API on virtual time; each
 * test names in its javadoc the fault it pins (F0, F3, F3b, F4, F6, F11).
 */
@ExtendWith(VirtualClockExtension.class)
class CancelledWaitersAndWindowsTest {

    /**
     * Tests that {@code close()} never lets a cancelled waiter start: 10 forks hold the slots of a
     * concurrency-10 group, 100 wait; when the grace period ends and everything is cancelled, the
     * slots given back by the 10 are handed on, and no waiter enters its handler. Fault F0.
     */
    @Test
    void closeNeverStartsCancelledWaiters(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).gracePeriod(Duration.ofSeconds(5)).build();
        ConcurrentGroup group = bot.concurrentGroup("ten", GroupLimits.concurrency(10));
        AtomicBoolean closing = new AtomicBoolean();
        AtomicInteger entered = new AtomicInteger();
        AtomicInteger enteredAfterClose = new AtomicInteger();
        Execute<Integer, Integer> work = bot.execute("work", ExecuteOptions.groups("ten"), i -> {
            entered.incrementAndGet();
            if (closing.get()) {
                enteredAfterClose.incrementAndGet();
            }
            clock.sleep(Duration.ofDays(1));
            return i;
        });
        bot.emit("load", EmitOptions.defaults().count(1), event -> {
            for (int i = 0; i < 110; i++) {
                event.execute(work, i);
            }
        });
        Launched running = clock.launch(bot::run);
        clock.advance(Duration.ofSeconds(1));
        assertEquals(10, group.inFlight());
        assertEquals(100, group.waiting());

        closing.set(true);
        bot.close();
        running.join();

        assertEquals(0, enteredAfterClose.get(), "a cancelled waiter started its handler");
        assertEquals(10, entered.get());
        assertEquals(0, group.inFlight());
        assertEquals(0, group.waiting());
    }

    /**
     * Tests that a cancelled waiter's reserved window start is given back: with 1 start per 2 s, a
     * call at 0, a fork cancelled while it waits for its start at 2 s, the next call starts at 2 s
     * (not 4 s). Fault F3.
     */
    @Test
    void cancelledWaitersReservedStartIsGivenBack(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        ConcurrentGroup group = bot.concurrentGroup("w", GroupLimits.unlimited().perWindow(1, Duration.ofSeconds(2)));
        List<Long> starts = new ArrayList<>();
        Execute<Integer, Integer> call = bot.execute("call", ExecuteOptions.groups("w"), i -> {
            starts.add(clock.elapsed().toMillis());
            return i;
        });
        List<String> seen = new ArrayList<>();
        bot.emit("main", EmitOptions.defaults().count(1), event -> {
            call.call(0);
            Forked<Integer> waiter = event.execute(call, 1);
            event.sleep(Duration.ofMillis(500));
            seen.add("waiting=" + group.waiting() + " inFlight=" + group.inFlight());
            waiter.cancel();
            assertThrows(CancellationException.class, waiter::join);
            seen.add("waiting=" + group.waiting() + " inFlight=" + group.inFlight());
            call.call(2);
        });

        bot.run();

        assertEquals(List.of(0L, 2000L), starts);
        assertEquals(List.of("waiting=1 inFlight=0", "waiting=0 inFlight=0"), seen);
    }

    /**
     * Tests that a fork cancelled while it sleeps until its window start gives the start back when
     * {@code cancel()} returns, not once its own thread runs: with 1 start per 2 s, a call at 0, a
     * fork waiting for its start at 2 s and cancelled at 0.5 s without a join, the next call
     * starts at 2 s (it started at 4 s, behind the phantom start). Fault F3b.
     */
    @Test
    void aForkCancelledWhileWaitingGivesItsStartBackAtOnce(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        ConcurrentGroup group = bot.concurrentGroup("w", GroupLimits.unlimited().perWindow(1, Duration.ofSeconds(2)));
        List<Long> starts = new ArrayList<>();
        Execute<Integer, Integer> call = bot.execute("call", ExecuteOptions.groups("w"), i -> {
            starts.add(clock.elapsed().toMillis());
            return i;
        });
        List<String> seen = new ArrayList<>();
        bot.emit("main", EmitOptions.defaults().count(1), event -> {
            call.call(0);
            Forked<Integer> waiter = event.execute(call, 1);
            event.sleep(Duration.ofMillis(500));
            seen.add("before cancel: waiting=" + group.waiting());
            waiter.cancel(); // no join: its thread has not run since
            seen.add("after cancel: waiting=" + group.waiting());
            call.call(2);
        });

        bot.run();

        assertEquals(List.of(0L, 2000L), starts);
        assertEquals(List.of("before cancel: waiting=1", "after cancel: waiting=0"), seen);
    }

    /**
     * Tests that 29 cancelled waiters leave no reservation behind: the next run's first call
     * starts when the window allows after the one real start (2 s), not after 29 phantom ones. Fault F3.
     */
    @Test
    void manyCancelledWaitersLeaveNoPhantomStarts(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        bot.concurrentGroup("w", GroupLimits.unlimited().perWindow(1, Duration.ofSeconds(2)));
        List<Long> starts = new ArrayList<>();
        Execute<Integer, Integer> call = bot.execute("call", ExecuteOptions.groups("w"), i -> {
            starts.add(clock.elapsed().toMillis());
            return i;
        });
        bot.emit("first", EmitOptions.defaults().count(1), event -> {
            call.call(0);
            List<Forked<Integer>> waiters = new ArrayList<>();
            for (int i = 0; i < 29; i++) {
                waiters.add(event.execute(call, i));
            }
            event.sleep(Duration.ofMillis(500));
            waiters.forEach(Forked::cancel);
        });
        bot.run();
        assertEquals(Duration.ofMillis(500), clock.elapsed());

        bot.emit("second", EmitOptions.defaults().count(1), event -> call.call(1));
        bot.run();

        assertEquals(List.of(0L, 2000L), starts, "the second run's call waits for the real start only");
    }

    /** Tests that a window of {@code Integer.MAX_VALUE} starts costs no memory up front. Fault F4. */
    @Test
    void hugeWindowLimitGrowsWithTheStartsMade(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        assertDoesNotThrow(() -> bot.concurrentGroup("many", GroupLimits.unlimited().perWindow(Integer.MAX_VALUE, Duration.ofSeconds(1))));
        AtomicInteger calls = new AtomicInteger();
        Execute<Integer, Integer> call = bot.execute("call", ExecuteOptions.groups("many"), i -> calls.incrementAndGet());
        bot.emit("spray", EmitOptions.every("1ms").count(3000), event -> call.call(0));

        bot.run();

        assertEquals(3000, calls.get());
        assertEquals(Duration.ofMillis(2999), clock.elapsed(), "nobody waited");
    }

    /** Tests that a window longer than a long of nanoseconds is refused clearly, naming the limit. Fault F6. */
    @Test
    void windowBeyondTheLongestIsRefusedClearly(VirtualClock clock) throws Exception {
        var thrown = assertThrows(IllegalArgumentException.class,
                () -> GroupLimits.unlimited().perWindow(1, Duration.ofDays(365 * 300)));
        assertTrue(thrown.getMessage().contains("at most") && thrown.getMessage().contains("292 years")
                && thrown.getMessage().contains("PT2628000H"), thrown.getMessage());

        var bot = Machina.builder().clock(clock).build();
        bot.concurrentGroup("century", GroupLimits.unlimited().perWindow(1, Duration.ofDays(365 * 200)));
        Execute<Integer, Integer> call = bot.execute("call", ExecuteOptions.groups("century"), i -> i);
        List<Integer> results = Collections.synchronizedList(new ArrayList<>());
        bot.emit("once", EmitOptions.defaults().count(1), event -> results.add(call.call(7)));
        bot.run();
        assertEquals(List.of(7), results);
    }

    /** The execute of the F11 tests: each attempt waits a second, then fails; an interrupt becomes an InterruptedIOException. */
    private static Execute<Integer, Integer> swallowsInterrupts(Machina bot, VirtualClock clock, RetryRule<?> rule, List<Long> attempts) {
        return bot.execute("fetch", ExecuteOptions.defaults().retry(Retry.of(rule)), i -> {
            attempts.add(clock.elapsed().toMillis());
            try {
                clock.sleep(Duration.ofSeconds(1));
            } catch (InterruptedException e) {
                throw new InterruptedIOException("interrupted while fetching");
            }
            throw new IOException("down");
        });
    }

    /**
     * Tests that {@code close()} never retries a cancelled call whose handler turns the interrupt
     * into an {@code InterruptedIOException}: no attempt starts after the cancel. Fault F11.
     */
    @Test
    void closeNeverRetriesACancelledFork(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).gracePeriod(Duration.ofSeconds(1)).build();
        List<Long> attempts = new ArrayList<>();
        Execute<Integer, Integer> fetch = swallowsInterrupts(bot, clock,
                RetryRule.fixed(IOException.class, Duration.ofMillis(100)).retries(1000), attempts);
        bot.emit("main", EmitOptions.defaults().count(1), event -> event.execute(fetch, 0));
        Launched running = clock.launch(bot::run);
        clock.advance(Duration.ofMillis(1_500));

        bot.close(); // cancels at 2.5 s

        running.join();
        assertEquals(List.of(0L, 1100L, 2200L), attempts);
        assertEquals(Duration.ofMillis(2_500), clock.elapsed());
    }

    /**
     * Tests that {@code Forked.cancel()} alone (no close, no emit cancel) stops the retries of a
     * fork whose handler turns the interrupt into an {@code InterruptedIOException}: the fork's own
     * cancel flag is asked, not only the interrupt, and {@code join()} says it was cancelled. Fault F11.
     */
    @Test
    void forkedCancelNeverRetries(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        List<Long> attempts = new ArrayList<>();
        Execute<Integer, Integer> fetch = swallowsInterrupts(bot, clock,
                RetryRule.fixed(IOException.class, Duration.ofMillis(100)).retries(20), attempts);
        List<String> outcome = new ArrayList<>();
        bot.emit("main", EmitOptions.defaults().count(1), event -> {
            var forked = event.execute(fetch, 0);
            event.sleep(Duration.ofMillis(1_500));
            forked.cancel();
            try {
                forked.join();
            } catch (CancellationException e) {
                outcome.add("cancelled at " + clock.elapsed().toMillis());
            }
        });

        bot.run();

        assertEquals(List.of(0L, 1100L), attempts);
        assertEquals(List.of("cancelled at 1500"), outcome);
    }

    /**
     * Tests that a direct call in a cancelled emit is never retried when its handler turns the
     * interrupt into an {@code InterruptedIOException}. Fault F11.
     */
    @Test
    void cancelledEmitsDirectCallIsNeverRetried(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        List<Long> attempts = new ArrayList<>();
        Execute<Integer, Integer> fetch = swallowsInterrupts(bot, clock,
                RetryRule.fixed(IOException.class, Duration.ofMillis(100)).retries(20), attempts);
        List<String> outcome = new ArrayList<>();
        bot.emit("caller", EmitOptions.defaults().count(1), event -> {
            try {
                fetch.call(0);
            } catch (InterruptedIOException e) {
                outcome.add("gave up: " + e.getMessage());
            }
        });
        bot.emit("canceller", EmitOptions.defaults().count(1), event -> {
            event.sleep(Duration.ofMillis(1_500));
            event.cancel("caller");
        });

        bot.run();

        assertEquals(List.of(0L, 1100L), attempts);
        assertEquals(List.of("gave up: interrupted while fetching"), outcome);
    }

    /**
     * Tests that an attempt granted after its fork was cancelled does not start: the holder gives
     * its slot back at the instant the waiter is cancelled, and the waiter passes it on. Fault F11.
     */
    @Test
    void attemptGrantedAfterCancelDoesNotStart(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        ConcurrentGroup group = bot.concurrentGroup("one", GroupLimits.concurrency(1));
        List<String> entered = new ArrayList<>();
        Execute<String, String> hold = bot.execute("hold", ExecuteOptions.groups("one"), who -> {
            entered.add(who + " at " + clock.elapsed().toSeconds() + "s");
            clock.sleep(Duration.ofSeconds(10));
            return who;
        });
        bot.emit("main", EmitOptions.defaults().count(1), event -> {
            event.execute(hold, "holder");
            Forked<String> waiter = event.execute(hold, "waiter");
            Forked<String> next = event.execute(hold, "next");
            // Parks after the holder did, so at 10 s it runs after the holder handed its slot to the
            // waiter and before the waiter runs.
            event.sleep(Duration.ofMillis(1));
            event.sleep(Duration.ofMillis(9_999));
            waiter.cancel();
            assertThrows(CancellationException.class, waiter::join);
            next.join();
        });

        bot.run();

        assertEquals(List.of("holder at 0s", "next at 10s"), entered);
        assertEquals(0, group.inFlight());
        assertEquals(0, group.waiting());
    }
}
