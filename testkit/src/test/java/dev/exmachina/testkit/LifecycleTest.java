package dev.exmachina.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** DESIGN 4.6: run, stop, close, and that nothing outlives them. */
@ExtendWith(VirtualClockExtension.class)
class LifecycleTest {

    @Test
    void testsThatCloseStopsGracefullyThenCancelsAfterTheGracePeriod(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).gracePeriod(Duration.ofSeconds(5)).build();
        ConcurrentGroup group = bot.concurrentGroup("g", GroupLimits.concurrency(2));
        List<String> log = new ArrayList<>();
        Execute<Integer, Integer> stuck = bot.execute("stuck", ExecuteOptions.groups("g"), i -> {
            clock.sleep(Duration.ofDays(1));
            return i;
        });
        bot.emit("polite", EmitOptions.every("1s"), event -> log.add("polite " + event.epoch()));
        bot.emit("slow", EmitOptions.every("1s"), event -> {
            event.execute(stuck, 1);
            event.execute(stuck, 2);
            event.execute(stuck, 3); // waits for a slot
            try {
                event.sleep(Duration.ofHours(1));
            } catch (InterruptedException e) {
                log.add("slow cancelled at " + clock.elapsed().toSeconds() + "s");
                throw e;
            }
        });
        Launched running = clock.launch(bot::run);
        clock.advance(Duration.ofMillis(1_500));

        bot.close(); // the test thread drives while it waits

        running.join();
        assertEquals(List.of("polite 1", "polite 2", "slow cancelled at 6s"), log);
        assertEquals(Duration.ofMillis(6_500), clock.elapsed(), "grace of 5 s after 1.5 s");
        assertEquals(0, group.inFlight(), "every slot is back");
        assertEquals(0, group.waiting());
        assertEquals(List.of(), clock.threads(), "no bot thread outlives close()");
        assertThrows(IllegalStateException.class, bot::run, "a closed bot does not run again");
    }

    @Test
    void testsThatStopFromTheTestThreadEndsRunAfterTheCurrentIterations(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        List<Long> epochs = new ArrayList<>();
        bot.emit("tick", EmitOptions.every("10s"), event -> {
            epochs.add(event.epoch());
            event.sleep(Duration.ofSeconds(3));
        });
        Launched running = clock.launch(bot::run);
        clock.advance(Duration.ofSeconds(14));

        bot.stop();
        running.join();

        assertEquals(List.of(1L, 2L), epochs);
        assertEquals(Duration.ofSeconds(16), clock.elapsed(), "the second iteration (13 s to 16 s) finished");
        assertTrue(running.isDone());
    }

    @Test
    void testsThatRunWithNothingAliveReturnsAtOnce(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        bot.emit("manual", EmitOptions.every("1s").autostart(false), event -> { });
        bot.run();
        assertEquals(Duration.ZERO, clock.elapsed());
    }

    @Test
    void testsThatInterruptingRunCancelsEverythingAndLeavesNothingBehind(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        ConcurrentGroup group = bot.concurrentGroup("g", GroupLimits.concurrency(1));
        Execute<Integer, Integer> hold = bot.execute("hold", ExecuteOptions.groups("g"), i -> {
            clock.sleep(Duration.ofDays(1));
            return i;
        });
        List<Throwable> runOutcome = new ArrayList<>();
        bot.emit("forever", EmitOptions.every("1s"), event -> event.execute(hold, 1));
        Thread[] runner = new Thread[1];
        Launched running = clock.launch(() -> {
            runner[0] = Thread.currentThread();
            try {
                bot.run();
            } catch (InterruptedException e) {
                runOutcome.add(e);
            }
        });
        clock.advance(Duration.ofSeconds(3));

        clock.interrupt(runner[0]);
        running.join();

        assertEquals(1, runOutcome.size());
        assertFalse(runOutcome.get(0).getMessage().isEmpty());
        assertEquals(0, group.inFlight());
        assertEquals(0, group.waiting());
        assertEquals(List.of(), clock.threads());
    }
}
