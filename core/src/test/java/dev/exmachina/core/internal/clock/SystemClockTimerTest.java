package dev.exmachina.core.internal.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.exmachina.core.BotClock;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Timers on real time: the system clock's scheduler thread, and the default {@link ThreadTimer} of
 * a clock that does not override {@link BotClock#schedule}. Nothing here asserts how long anything
 * took: waits have generous bounds and only guard against a hang.
 */
class SystemClockTimerTest {

    private static final long BOUND_SECONDS = 30;
    private static final long HOUR = TimeUnit.HOURS.toNanos(1);

    /** The system clock in everything but {@code schedule}: so the interface's default, ThreadTimer, runs. */
    private static final class DefaultTimerClock implements BotClock {
        private final BotClock real = BotClock.system();

        @Override public long nanoTime() { return real.nanoTime(); }
        @Override public Instant instant() { return real.instant(); }
        @Override public ThreadFactory threadFactory(String name) { return real.threadFactory(name); }
        @Override public void park(Object blocker, long deadlineNanos) { real.park(blocker, deadlineNanos); }
        @Override public void unpark(Thread thread) { real.unpark(thread); }
        @Override public void interrupt(Thread thread) { real.interrupt(thread); }
        @Override public RandomGenerator random() { return real.random(); }
        @Override public String toString() { return "a clock with the default timer"; }
    }

    static Stream<BotClock> clocks() {
        return Stream.of(BotClock.system(), new DefaultTimerClock());
    }

    /** Tests that a timer whose deadline has passed runs, soon. */
    @ParameterizedTest
    @MethodSource("clocks")
    void testsThatATimerAtAPassedDeadlineRuns(BotClock clock) throws InterruptedException {
        var ran = new CountDownLatch(1);

        clock.schedule(ran::countDown, clock.nanoTime() - 1);

        assertTrue(ran.await(BOUND_SECONDS, TimeUnit.SECONDS), "the timer did not run");
    }

    /**
     * Tests that cancelling a timer before its far deadline returns true, once, and that it does
     * not run: a timer scheduled after it, at a passed deadline, runs alone.
     */
    @ParameterizedTest
    @MethodSource("clocks")
    void testsThatCancelBeforeAFarDeadlineKeepsTheTimerFromRunning(BotClock clock) throws InterruptedException {
        var ran = new AtomicInteger();
        BotClock.Timer far = clock.schedule(ran::incrementAndGet, clock.nanoTime() + HOUR);

        assertTrue(far.cancel());
        assertFalse(far.cancel(), "already cancelled");

        var next = new CountDownLatch(1);
        clock.schedule(next::countDown, clock.nanoTime() - 1);
        assertTrue(next.await(BOUND_SECONDS, TimeUnit.SECONDS));
        assertEquals(0, ran.get());
    }

    /** Tests that cancel after the action has run returns false. */
    @ParameterizedTest
    @MethodSource("clocks")
    void testsThatCancelAfterTheActionRanReturnsFalse(BotClock clock) throws InterruptedException {
        var first = new CountDownLatch(1);
        BotClock.Timer timer = clock.schedule(first::countDown, clock.nanoTime() - 1);
        assertTrue(first.await(BOUND_SECONDS, TimeUnit.SECONDS));
        // A second timer that ran tells, on the system clock's one scheduler thread, that the
        // first has returned, not only started.
        var second = new CountDownLatch(1);
        clock.schedule(second::countDown, clock.nanoTime() - 1);
        assertTrue(second.await(BOUND_SECONDS, TimeUnit.SECONDS));

        assertFalse(timer.cancel());
    }

    /** Tests that a timer with no deadline is refused with a message naming NO_DEADLINE. */
    @ParameterizedTest
    @MethodSource("clocks")
    void testsThatATimerWithoutADeadlineIsRefused(BotClock clock) {
        var e = assertThrows(IllegalArgumentException.class, () -> clock.schedule(() -> {}, BotClock.NO_DEADLINE));
        assertTrue(e.getMessage().contains("NO_DEADLINE"), e.getMessage());
    }

    /** Tests that the default timer's cancel returns false while its action is running. */
    @Test
    void testsThatTheDefaultTimerCannotBeCancelledWhileItsActionRuns() throws InterruptedException {
        cancelWhileRunning(new DefaultTimerClock());
    }

    /**
     * Tests that the system clock's cancel returns false while its action is running, as
     * {@link BotClock.Timer#cancel()} promises ("false: it ran, is running, or was already
     * cancelled"). It returned true when cancel was {@code ScheduledFuture.cancel(false)}, which
     * is true for a task still running.
     */
    @Test
    void testsThatTheSystemClockTimerCannotBeCancelledWhileItsActionRuns() throws InterruptedException {
        cancelWhileRunning(BotClock.system());
    }

    private static void cancelWhileRunning(BotClock clock) throws InterruptedException {
        var started = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        BotClock.Timer timer = clock.schedule(() -> {
            started.countDown();
            try {
                release.await(BOUND_SECONDS, TimeUnit.SECONDS); // longer than an action should: to hold it running
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, clock.nanoTime() - 1);
        assertTrue(started.await(BOUND_SECONDS, TimeUnit.SECONDS));
        try {
            assertFalse(timer.cancel(), "the action is running: cancel kept nothing from running");
        } finally {
            release.countDown();
        }
    }
}
