package dev.exmachina.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.exmachina.core.Emit;
import dev.exmachina.core.EmitOptions;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.Machina;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The lifecycle decisions of the second cut: what a stop or a cancel does to a start, and stop() before run(). */
@ExtendWith(VirtualClockExtension.class)
class LifecycleDecisionsTest {

    /** Tests that a graceful stop right after a start does not undo it: the first iteration runs, no second. */
    @Test
    void testsThatAStopInTheSameIterationAsAStartLetsTheFirstIterationRun(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        List<String> log = new ArrayList<>();
        Emit x = bot.emit("x", EmitOptions.every("1s").autostart(false), event -> log.add("x " + event.epoch()));
        bot.emit("driver", EmitOptions.defaults().count(1), event -> {
            event.start("x");
            event.stop("x");
        });

        bot.run();

        assertEquals(List.of("x 1"), log);
        assertFalse(x.isAlive());
    }

    /** Tests that a cancel right after a start keeps the emit from running any iteration. */
    @Test
    void testsThatACancelInTheSameIterationAsAStartRunsNoIteration(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        List<String> log = new ArrayList<>();
        Emit x = bot.emit("x", EmitOptions.every("1s").autostart(false), event -> log.add("x " + event.epoch()));
        bot.emit("driver", EmitOptions.defaults().count(1), event -> {
            event.start("x");
            event.cancel("x");
        });

        bot.run();

        assertEquals(List.of(), log);
        assertFalse(x.isAlive());
    }

    /** Tests that a cancelled emit's forks never start their body. */
    @Test
    void testsThatAForkOfACancelledEmitNeverStarts(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        List<String> log = new ArrayList<>();
        bot.execute("body", ExecuteOptions.defaults(), (Integer i) -> log.add("body ran"));
        bot.emit("self", EmitOptions.defaults().count(1), event -> {
            event.cancel("self");
            event.execute("body", 1);
        });

        bot.run();

        assertEquals(List.of(), log);
    }

    /** Tests that stop() before run() is remembered by that run (hooks run, no emit starts), and only by it. */
    @Test
    void testsThatStopBeforeRunIsRememberedByThatRunOnly(VirtualClock clock) throws Exception {
        List<String> log = new ArrayList<>();
        var bot = Machina.builder().clock(clock)
                .onStartup(() -> log.add("startup"))
                .onShutdown(() -> log.add("shutdown"))
                .build();
        bot.emit("tick", EmitOptions.every("1s").count(2), event -> log.add("tick " + event.epoch()));

        bot.stop(); // a Ctrl-C handler racing startup
        bot.run();

        assertEquals(List.of("startup", "shutdown"), log);
        assertEquals(Duration.ZERO, clock.elapsed());

        log.clear();
        bot.run(); // a fresh run

        assertEquals(List.of("startup", "tick 1", "tick 2", "shutdown"), log);
    }
}
