package dev.exmachina.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.exmachina.core.BotClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The virtual clock's timers: exact virtual instants, one order with the waits, cancellable. */
@ExtendWith(VirtualClockExtension.class)
class VirtualClockTimerTest {

    private static final long MS = 1_000_000;

    /** Starts a bot thread that sleeps until {@code at} (virtual nanos), then records {@code label} and when. */
    private static void sleeper(VirtualClock clock, List<String> log, String label, long at) {
        clock.threadFactory(label).newThread(() -> {
            while (clock.nanoTime() < at) {
                clock.park("sleep until " + at, at);
            }
            log.add(label + "@" + clock.nanoTime());
        }).start();
    }

    /** Launches a thread that parks until {@code signal} is set; its thread goes to {@code thread}. */
    private static Launched awaiting(VirtualClock clock, AtomicBoolean signal, AtomicReference<Thread> thread, Runnable then) {
        return clock.launch(() -> {
            thread.set(Thread.currentThread());
            while (!signal.get()) {
                clock.park("a signal", BotClock.NO_DEADLINE);
            }
            then.run();
        });
    }

    private static long loggedLines(String text) throws IOException {
        Path log = Path.of("target/test-errors.log");
        if (!Files.exists(log)) {
            return 0;
        }
        try (var lines = Files.lines(log)) {
            return lines.filter(l -> l.contains(text)).count();
        }
    }

    /**
     * Tests that timers due at the same instant as waits are released with them first in, first
     * out: the timer queued between two sleepers wakes its thread between theirs.
     */
    @Test
    void testsThatTimersAndWaitsDueAtTheSameInstantRunFirstInFirstOut(VirtualClock clock) throws Exception {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        var signal = new AtomicBoolean();
        var waiterThread = new AtomicReference<Thread>();
        Launched waiter = awaiting(clock, signal, waiterThread, () -> log.add("w@" + clock.nanoTime()));
        sleeper(clock, log, "a", 50);
        sleeper(clock, log, "c", 100);
        clock.runCurrent(); // the waiter parks; a and c wait: sequences 0 and 1
        clock.schedule(() -> log.add("t1@" + clock.nanoTime()), 100); // 2
        clock.schedule(() -> {
            signal.set(true);
            clock.unpark(waiterThread.get());
        }, 100); // 3
        sleeper(clock, log, "b", 100);
        clock.runCurrent(); // b waits: 4

        clock.advanceUntilIdle();

        // At 100 the queue is released in order: c is made ready, t1 runs, the second timer makes
        // w ready, b is made ready; then the ready threads run in the order they were made ready.
        assertEquals(List.of("a@50", "t1@100", "c@100", "w@100", "b@100"), log);
        assertTrue(waiter.isDone());
        assertEquals(Duration.ofNanos(100), clock.elapsed());
    }

    /**
     * Tests that a timer interrupting a sleeping bot thread wakes it at the exact virtual instant
     * of its deadline: a 250 ms deadline on a 1 s sleep ends it at +250 ms, not later.
     */
    @Test
    void testsThatATimerInterruptsAParkedBotThreadAtTheExactInstant(VirtualClock clock) throws Exception {
        clock.advance(Duration.ofMillis(10));
        var wokeAt = new AtomicReference<Duration>();
        Launched attempt = clock.launch(() -> {
            Thread me = Thread.currentThread();
            BotClock.Timer timeout = clock.schedule(() -> clock.interrupt(me), clock.nanoTime() + 250 * MS);
            try {
                clock.sleep(Duration.ofSeconds(1));
            } catch (InterruptedException expected) {
                wokeAt.set(clock.elapsed());
            }
            assertFalse(timeout.cancel(), "it ran: too late to cancel");
        });

        attempt.join();

        assertEquals(Duration.ofMillis(260), wokeAt.get());
        assertEquals(Duration.ofMillis(260), clock.elapsed(), "nothing else was due: time stopped there");
    }

    /** Tests that cancel before the deadline keeps the action from running and returns true, once. */
    @Test
    void testsThatCancelBeforeTheDeadlineKeepsTheActionFromRunning(VirtualClock clock) {
        var ran = new AtomicInteger();
        BotClock.Timer timer = clock.schedule(ran::incrementAndGet, clock.nanoTime() + 1_000 * MS);
        clock.advance(Duration.ofMillis(500));

        assertTrue(timer.cancel());
        assertFalse(timer.cancel(), "already cancelled");
        clock.advanceUntilIdle();

        assertEquals(0, ran.get());
        assertEquals(Duration.ofMillis(500), clock.elapsed(), "a cancelled timer is no work: time did not move to it");
    }

    /** Tests that cancel after the action ran returns false and changes nothing. */
    @Test
    void testsThatCancelAfterTheActionRanReturnsFalse(VirtualClock clock) {
        var ran = new AtomicInteger();
        BotClock.Timer timer = clock.schedule(ran::incrementAndGet, clock.nanoTime() + 1_000 * MS);

        clock.advanceUntilIdle();

        assertEquals(1, ran.get());
        assertEquals(Duration.ofSeconds(1), clock.elapsed(), "advanceUntilIdle runs pending timers");
        assertFalse(timer.cancel());
        assertEquals(1, ran.get());
    }

    /**
     * Tests that a timer whose deadline has already passed (or is now) does not run while the
     * clock is at rest, and runs on the next driving call, runCurrent, without moving time.
     */
    @Test
    void testsThatATimerAtAPassedDeadlineRunsOnTheNextDrivingCall(VirtualClock clock) {
        clock.advance(Duration.ofSeconds(1));
        List<String> log = new ArrayList<>();
        clock.schedule(() -> log.add("passed@" + clock.elapsed()), clock.nanoTime() - 1);
        clock.schedule(() -> log.add("now@" + clock.elapsed()), clock.nanoTime());
        assertEquals(List.of(), log, "the clock is at rest between driving calls");

        clock.runCurrent();

        assertEquals(List.of("passed@PT1S", "now@PT1S"), log);
        assertEquals(Duration.ofSeconds(1), clock.elapsed());
    }

    /**
     * Tests that advance(d) is half-open for timers as for waits: a timer due exactly at
     * {@code now + d} runs on the next driving call, not within the advance.
     */
    @Test
    void testsThatAdvanceDoesNotRunATimerDueExactlyAtItsEnd(VirtualClock clock) {
        var ran = new AtomicInteger();
        clock.schedule(ran::incrementAndGet, clock.nanoTime() + 1_000 * MS);

        clock.advance(Duration.ofSeconds(1));
        assertEquals(0, ran.get(), "due exactly at the end of the interval: not yet run");
        assertEquals(Duration.ofSeconds(1), clock.elapsed());

        clock.runCurrent();
        assertEquals(1, ran.get());
    }

    /** Tests that what an action throws is logged at ERROR and the clock goes on with the next one. */
    @Test
    void testsThatAThrowingActionIsLoggedAndTheClockGoesOn(VirtualClock clock) throws Exception {
        var ran = new AtomicInteger();
        clock.schedule(() -> {
            throw new IllegalStateException("a timer action that throws, 7f3a");
        }, 100);
        clock.schedule(ran::incrementAndGet, 100);
        clock.schedule(ran::incrementAndGet, 200);

        clock.advanceUntilIdle();

        assertEquals(2, ran.get());
        assertEquals(1, loggedLines("a timer action that throws, 7f3a"));
        assertEquals(Duration.ofNanos(200), clock.elapsed());
    }

    /**
     * Tests that a thread parked with no deadline while a timer is pending is not a deadlock: the
     * timer is something due, time moves to it, and its action wakes the thread.
     */
    @Test
    void testsThatAPendingTimerIsNotADeadlock(VirtualClock clock) throws Exception {
        var signal = new AtomicBoolean();
        var thread = new AtomicReference<Thread>();
        Launched waiter = awaiting(clock, signal, thread, () -> {});
        clock.runCurrent();
        clock.schedule(() -> {
            signal.set(true);
            clock.unpark(thread.get());
        }, clock.nanoTime() + 5_000 * MS);

        waiter.join(); // no deadlock: the timer is due at +5s

        assertEquals(Duration.ofSeconds(5), clock.elapsed());
    }

    /**
     * Tests that an action may use the clock (read the time, schedule, interrupt) but not wait on
     * it: a timer it schedules at the current instant runs in the same instant, and a park from
     * an action fails, logged, without disturbing the clock.
     */
    @Test
    void testsThatAnActionMayCallTheClockButNotWaitOnIt(VirtualClock clock) throws Exception {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        clock.schedule(() -> {
            log.add("first@" + clock.nanoTime());
            clock.schedule(() -> log.add("chained@" + clock.nanoTime()), clock.nanoTime());
            clock.schedule(() -> log.add("later@" + clock.nanoTime()), clock.nanoTime() + 10);
        }, 100);
        clock.schedule(() -> clock.park("a wait inside a timer action, 91c2", BotClock.NO_DEADLINE), 150);

        clock.advanceUntilIdle();

        assertEquals(List.of("first@100", "chained@100", "later@110"), log);
        assertEquals(1, loggedLines("a timer action must not wait on the clock"));
        assertEquals(Duration.ofNanos(150), clock.elapsed());
    }

    /** Tests that a timer with no deadline is refused with a message naming NO_DEADLINE. */
    @Test
    void testsThatATimerWithoutADeadlineIsRefused(VirtualClock clock) {
        var e = assertThrows(IllegalArgumentException.class, () -> clock.schedule(() -> {}, BotClock.NO_DEADLINE));
        assertTrue(e.getMessage().contains("NO_DEADLINE"), e.getMessage());
    }

    /**
     * Tests that timeouts racing sleeps give one trace every run: bot threads sleep seeded random
     * durations under timers that interrupt them, some cancelled in time.
     */
    @Test
    void testsThatTimersGiveTheSameTraceEveryRun() throws Exception {
        List<String> first = timeouts(VirtualClock.create());
        assertEquals(21, first.size(), first.toString());
        assertTrue(first.stream().anyMatch(l -> l.contains("timed out")) && first.stream().anyMatch(l -> l.contains("cancelled true")), first.toString());
        for (int run = 1; run < 50; run++) {
            assertEquals(first, timeouts(VirtualClock.create()), "run " + run + " differs");
        }
    }

    private static List<String> timeouts(VirtualClock clock) throws Exception {
        List<String> trace = Collections.synchronizedList(new ArrayList<>());
        var finished = new AtomicInteger();
        Launched all = clock.launch(() -> {
            for (int i = 0; i < 20; i++) {
                int n = i;
                Thread worker = clock.threadFactory("worker").newThread(() -> {
                    Thread me = Thread.currentThread();
                    long sleep = clock.random().nextLong(100, 1_000) * MS;
                    BotClock.Timer timeout = clock.schedule(() -> clock.interrupt(me), clock.nanoTime() + 500 * MS);
                    try {
                        clock.sleep(Duration.ofNanos(sleep));
                        trace.add(n + " slept @" + clock.elapsed() + " cancelled " + timeout.cancel());
                    } catch (InterruptedException e) {
                        trace.add(n + " timed out @" + clock.elapsed());
                    }
                    finished.incrementAndGet();
                });
                worker.start();
                clock.sleep(Duration.ofMillis(37));
            }
            while (finished.get() < 20) {
                clock.sleep(Duration.ofMillis(100));
            }
            trace.add("end @" + clock.elapsed());
        });
        all.join();
        return trace;
    }
}
