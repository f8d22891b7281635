package dev.exmachina.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.EmitOptions;
import dev.exmachina.core.Machina;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The clock's own verbs and edges, each pinned by a test. */
@ExtendWith(VirtualClockExtension.class)
class VirtualClockTest {

    /** Starts a bot thread that parks until {@code at} (virtual nanos) and then records {@code label}. */
    private static void sleeper(VirtualClock clock, List<String> log, String label, long at) {
        ThreadFactory factory = clock.threadFactory(label);
        factory.newThread(() -> {
            while (clock.nanoTime() < at) {
                clock.park("sleep", at);
            }
            log.add(label + "@" + clock.nanoTime());
        }).start();
    }

    @Test
    void testsThatWaitsDueAtTheSameInstantRunFirstInFirstOut(VirtualClock clock) {
        List<String> log = new ArrayList<>();
        sleeper(clock, log, "c", 100);
        sleeper(clock, log, "a", 50);
        sleeper(clock, log, "b", 100);
        sleeper(clock, log, "d", 100);

        clock.advanceUntilIdle();

        assertEquals(List.of("a@50", "c@100", "b@100", "d@100"), log);
    }

    @Test
    void testsThatAdvanceIsHalfOpenAndRunCurrentRunsWhatIsDueNow(VirtualClock clock) {
        List<String> log = new ArrayList<>();
        sleeper(clock, log, "x", 1_000);

        clock.advance(Duration.ofNanos(1_000));
        assertEquals(List.of(), log, "due exactly at the end of the interval: not yet run");
        assertEquals(Duration.ofNanos(1_000), clock.elapsed());

        clock.runCurrent();
        assertEquals(List.of("x@1000"), log);
        assertEquals(Duration.ofNanos(1_000), clock.elapsed(), "runCurrent does not move time");
    }

    @Test
    void testsThatAdvanceInStepsObservesIntermediateStates(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        List<Long> epochs = new ArrayList<>();
        bot.emit("tick", EmitOptions.every("1s"), event -> epochs.add(event.epoch()));
        Launched running = clock.launch(bot::run);

        clock.advance(Duration.ofMillis(2_500));
        assertEquals(List.of(1L, 2L, 3L), epochs, "ticks at 0, 1 and 2 s");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(4, epochs.size());

        bot.stop();
        running.join();
        assertEquals(4, epochs.size(), "a graceful stop cuts the interval wait short");
        assertEquals(Duration.ofMillis(3_500), clock.elapsed());
    }

    @Test
    void testsThatAdvanceUntilIdleFailsAtOnceOnAnEmitThatRepeatsForever(VirtualClock clock) {
        var bot = Machina.builder().clock(clock).build();
        List<Long> epochs = new ArrayList<>();
        bot.emit("forever", EmitOptions.every("1s"), event -> epochs.add(event.epoch()));
        clock.launch(bot::run);

        var e = assertThrows(IllegalStateException.class, clock::advanceUntilIdle);

        assertTrue(e.getMessage().contains("emit 'forever'"), e.getMessage());
        assertEquals(List.of(1L), epochs);
        assertEquals(Duration.ZERO, clock.elapsed(), "time did not move past the forever wait");
        bot.stop();
        clock.advanceUntilIdle();
        assertEquals(List.of(), clock.threads());
    }

    @Test
    void testsThatTimeNeverGoesBackwardsAndDeadlinesSaturate(VirtualClock clock) {
        assertThrows(IllegalArgumentException.class, () -> clock.advance(Duration.ofNanos(-1)));
        clock.advance(Duration.ofDays(365L * 200));
        clock.advance(Duration.ofDays(365L * 200)); // past Long.MAX_VALUE nanos: saturates
        assertTrue(clock.nanoTime() > 0);
        assertTrue(clock.nanoTime() < BotClock.NO_DEADLINE);
    }

    @Test
    void testsThatADeadlockIsReportedWithWhatEachThreadWaitsFor(VirtualClock clock) throws Exception {
        var parked = new AtomicReference<Thread>();
        Launched stuck = clock.launch(() -> {
            parked.set(Thread.currentThread());
            clock.park("a signal nobody sends", BotClock.NO_DEADLINE);
        });
        clock.runCurrent();

        var e = assertThrows(IllegalStateException.class, stuck::join);

        assertTrue(e.getMessage().contains("deadlock"), e.getMessage());
        assertTrue(e.getMessage().contains("a signal nobody sends"), e.getMessage());
        clock.unpark(parked.get()); // the signal, at last: the thread ends with the test
        stuck.join();
    }

    @Test
    void testsThatTheWatchdogNamesAThreadBlockedOutsideTheClock() throws Exception {
        var clock = VirtualClock.builder().watchdog(Duration.ofMillis(300)).build();
        var bot = Machina.builder().clock(clock).build();
        var outside = new CountDownLatch(1);
        bot.emit("blocked", EmitOptions.defaults().count(1), event -> outside.await());

        var e = assertThrows(IllegalStateException.class, bot::run);

        assertTrue(e.getMessage().contains("watchdog"), e.getMessage());
        assertTrue(e.getMessage().contains("CountDownLatch"), e.getMessage());
        outside.countDown(); // let the thread go so the JVM keeps nothing behind
    }

    @Test
    void testsThatOnlyTheTestThreadDrivesTheClock(VirtualClock clock) throws Exception {
        List<Throwable> seen = new ArrayList<>();
        Launched launched = clock.launch(() -> {
            try {
                clock.advance(Duration.ofSeconds(1));
            } catch (IllegalStateException e) {
                seen.add(e);
            }
        });
        launched.join();
        assertEquals(1, seen.size());
        assertTrue(seen.get(0).getMessage().contains("only the test thread"), seen.get(0).getMessage());
    }
}
