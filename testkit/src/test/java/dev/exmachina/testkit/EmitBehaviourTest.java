package dev.exmachina.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.exmachina.core.Emit;
import dev.exmachina.core.EmitMode;
import dev.exmachina.core.EmitOptions;
import dev.exmachina.core.Machina;
import dev.exmachina.core.MachinaException;
import dev.exmachina.core.Supervision;
import dev.exmachina.retry.Retry;
import dev.exmachina.retry.RetryRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Emits on virtual time: DESIGN 4.2 and 4.6, with the seed's cases. */
@ExtendWith(VirtualClockExtension.class)
class EmitBehaviourTest {

    private static String at(VirtualClock clock) {
        return "@" + clock.elapsed().toMillis();
    }

    @Test
    void testsThatACountedEmitRunsItsCountThenIsNotAliveAndARerunDoesNotRepeatIt(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        List<String> log = new ArrayList<>();
        Emit three = bot.emit("three", EmitOptions.every("1s").count(3),
                event -> log.add(event.epoch() + " left " + event.count().orElse(-1) + " " + at(clock)));

        bot.run();
        assertEquals(List.of("1 left 2 @0", "2 left 1 @1000", "3 left 0 @2000"), log);
        assertFalse(three.isAlive());

        bot.run();
        assertEquals(3, log.size(), "a finished counted emit does not run again by itself");
    }

    @Test
    void testsThatStartFromAnotherEmitRerunsAFinishedCountedEmit(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        List<String> log = new ArrayList<>();
        bot.emit("worker", EmitOptions.every("1s").count(2).autostart(false),
                event -> log.add("worker " + event.epoch() + " " + at(clock)));
        bot.emit("boss", EmitOptions.every("10s").count(2), event -> {
            log.add("boss " + event.epoch() + " " + at(clock));
            event.start("worker");
        });

        bot.run();

        assertEquals(List.of("boss 1 @0", "worker 1 @0", "worker 2 @1000",
                "boss 2 @10000", "worker 1 @10000", "worker 2 @11000"), log);
    }

    @Test
    void testsThatADoubleStartRunsOneCopy(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        List<Long> epochs = new ArrayList<>();
        bot.emit("worker", EmitOptions.every("1s").count(3).autostart(false), event -> epochs.add(event.epoch()));
        bot.emit("starter", EmitOptions.defaults().count(1), event -> {
            event.start("worker");
            event.start("worker"); // already alive: a warning, no second copy
        });

        bot.run();

        assertEquals(List.of(1L, 2L, 3L), epochs);
    }

    @Test
    void testsThatAGracefulStopLetsTheCurrentIterationFinish(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        List<String> log = new ArrayList<>();
        bot.emit("slow", EmitOptions.every("1s"), event -> {
            log.add("begin " + event.epoch() + " " + at(clock));
            event.sleep(Duration.ofSeconds(5));
            log.add("end " + event.epoch() + " " + at(clock));
        });
        bot.emit("stopper", EmitOptions.defaults().count(1), event -> {
            event.sleep(Duration.ofSeconds(2));
            event.stop("slow");
        });

        bot.run();

        assertEquals(List.of("begin 1 @0", "end 1 @5000"), log);
    }

    @Test
    void testsThatCancelInterruptsTheEmitNow(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        List<String> log = new ArrayList<>();
        bot.emit("slow", EmitOptions.every("1s"), event -> {
            log.add("begin " + at(clock));
            try {
                event.sleep(Duration.ofSeconds(5));
                log.add("finished");
            } catch (InterruptedException e) {
                log.add("interrupted " + at(clock));
                throw e;
            }
        });
        bot.emit("canceller", EmitOptions.defaults().count(1), event -> {
            event.sleep(Duration.ofSeconds(2));
            event.cancel("slow");
        });

        bot.run(); // a cancel is not a failure

        assertEquals(List.of("begin @0", "interrupted @2000"), log);
    }

    @Test
    void testsThatAfterModeWaitsAfterTheIterationAndEntireModeKeepsTheRate(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        List<String> after = new ArrayList<>();
        List<String> entire = new ArrayList<>();
        bot.emit("after", EmitOptions.every("1s").count(3), event -> {
            after.add(event.epoch() + at(clock) + " prev " + event.previousExecutionTime().toMillis());
            event.sleep(Duration.ofMillis(300));
        });
        bot.emit("entire", EmitOptions.every("1s").count(4).mode(EmitMode.ENTIRE), event -> {
            entire.add(event.epoch() + at(clock));
            event.sleep(Duration.ofMillis(event.epoch() == 2 ? 1_500 : 300)); // the 2nd overruns
        });

        bot.run();

        assertEquals(List.of("1@0 prev 0", "2@1300 prev 300", "3@2600 prev 300"), after);
        assertEquals(List.of("1@0", "2@1000", "3@2500", "4@3500"), entire);
    }

    @Test
    void testsThatAFailingEmitStopsTheBotAndRunThrowsItAfterTheShutdownHooks(VirtualClock clock) {
        List<String> log = new ArrayList<>();
        var bot = Machina.builder().clock(clock)
                .onStartup(() -> log.add("startup"))
                .onShutdown(() -> log.add("shutdown " + at(clock)))
                .build();
        IllegalStateException failure = new IllegalStateException("bad tick");
        bot.emit("other", EmitOptions.every("1s"), event -> log.add("other " + event.epoch()));
        bot.emit("failing", EmitOptions.every("1s"), event -> {
            if (event.epoch() == 3) {
                throw failure;
            }
        });

        var thrown = assertThrows(MachinaException.class, bot::run);

        assertSame(failure, thrown.getCause());
        assertTrue(thrown.getMessage().contains("failing"), thrown.getMessage());
        assertEquals(List.of("startup", "other 1", "other 2", "other 3", "shutdown @2000"), log);
        assertEquals(List.of(), clock.threads(), "no bot thread outlives run()");
    }

    @Test
    void testsThatLogAndContinueGoesOnWithTheNextIteration(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        List<Long> epochs = new ArrayList<>();
        bot.emit("flaky", EmitOptions.every("1s").count(4).supervision(Supervision.logAndContinue()), event -> {
            epochs.add(event.epoch());
            if (event.epoch() % 2 == 0) {
                throw new IllegalStateException("even tick");
            }
        });

        bot.run();

        assertEquals(List.of(1L, 2L, 3L, 4L), epochs);
        assertEquals(Duration.ofSeconds(3), clock.elapsed());
    }

    @Test
    void testsThatRestartWaitsByItsRetryAndEscalatesWhenTheRetryGivesUp(VirtualClock clock) {
        var bot = Machina.builder().clock(clock).build();
        List<String> log = new ArrayList<>();
        IllegalStateException failure = new IllegalStateException("down");
        var restart = Supervision.restart(Retry.of(RetryRule.fixed(IllegalStateException.class, Duration.ofSeconds(10)).retries(2)));
        bot.emit("restarting", EmitOptions.every("1s").supervision(restart), event -> {
            log.add(event.epoch() + at(clock));
            if (event.epoch() >= 2) {
                throw failure;
            }
        });

        var thrown = assertThrows(MachinaException.class, bot::run);

        assertSame(failure, thrown.getCause());
        assertEquals(List.of("1@0", "2@1000", "3@11000", "4@21000"), log);
    }

    @Test
    void testsThatAStartupHookFailureSkipsTheEmitsButRunsTheShutdownHooks(VirtualClock clock) {
        List<String> log = new ArrayList<>();
        IllegalStateException failure = new IllegalStateException("no config");
        var bot = Machina.builder().clock(clock)
                .onStartup(() -> {
                    throw failure;
                })
                .onShutdown(() -> log.add("shutdown"))
                .build();
        bot.emit("never", EmitOptions.every("1s"), event -> log.add("tick"));

        var thrown = assertThrows(MachinaException.class, bot::run);

        assertSame(failure, thrown.getCause());
        assertEquals(List.of("shutdown"), log);
    }

    @Test
    void testsThatAnEmitWaitsForTheExecutesItForked(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        List<String> log = new ArrayList<>();
        bot.execute("long", dev.exmachina.core.ExecuteOptions.defaults(), (Integer s) -> {
            clock.sleep(Duration.ofSeconds(s));
            log.add("long " + s + " done " + at(clock));
            return s;
        });
        bot.emit("forker", EmitOptions.every("1s").count(2), event -> {
            event.execute("long", 5);
            log.add("tick " + event.epoch() + " " + at(clock));
        });

        bot.run();

        assertEquals(List.of("tick 1 @0", "tick 2 @1000", "long 5 done @5000", "long 5 done @6000"), log,
                "the forks do not hold up the loop, but the run ends only after them");
        assertEquals(Duration.ofSeconds(6), clock.elapsed());
    }
}
