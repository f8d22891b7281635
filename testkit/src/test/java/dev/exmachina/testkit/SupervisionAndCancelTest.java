package dev.exmachina.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.exmachina.core.BotEvent;
import dev.exmachina.core.EmitOptions;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.Forked;
import dev.exmachina.core.Machina;
import dev.exmachina.core.MachinaException;
import dev.exmachina.core.Supervision;
import dev.exmachina.retry.Retry;
import dev.exmachina.retry.RetryRule;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Supervision, cancellation and close on the virtual clock, one regression test per fault found from
 * the outside (its id in the test's javadoc). Failures are seen as the events listeners get, so a
 * check that something was reported, or was not, reads what the bot reported.
 */
@ExtendWith(VirtualClockExtension.class)
class SupervisionAndCancelTest {

    /**
     * F1: an interval too long for nanoseconds is refused at once, naming the value, and nothing is
     * registered.
     */
    @Test
    void anIntervalBeyondNanosecondsIsRefusedAtOnce(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        Duration tooLong = Duration.ofSeconds(Long.MAX_VALUE);

        var e = assertThrows(IllegalArgumentException.class, () -> bot.emit("e", EmitOptions.every(tooLong), event -> {}));

        assertTrue(e.getMessage().contains(tooLong.toString()), e.getMessage());
        bot.emit("e", EmitOptions.every(EmitOptions.MAX_INTERVAL).count(1), event -> {}); // the name is still free
        bot.run();
    }

    /** F2: a restart policy that throws stops the bot with its failure, the handler's failure suppressed in it. */
    @Test
    void aRestartPolicyThatThrowsStopsTheBot(VirtualClock clock) {
        var bot = Machina.builder().clock(clock).build();
        var handlerFailure = new RuntimeException("the handler failed");
        var policyFailure = new IllegalStateException("the listener failed");
        Retry retry = Retry.of(RetryRule.fixed(RuntimeException.class, Duration.ofSeconds(1))).listener(ev -> {
            throw policyFailure;
        });
        bot.emit("failing", EmitOptions.every("1s").supervision(Supervision.restart(retry)), event -> {
            throw handlerFailure;
        });

        var e = assertThrows(MachinaException.class, bot::run);

        assertSame(policyFailure, e.getCause());
        assertTrue(List.of(policyFailure.getSuppressed()).contains(handlerFailure));
        assertEquals(Duration.ZERO, clock.elapsed());
    }

    /**
     * F7: close() interrupts a startup hook after the grace period, tells listeners the grace
     * expired, and returns then; the interrupt it caused is not a hook failure.
     */
    @Test
    void closeInterruptsHooksAfterGrace(VirtualClock clock) throws Exception {
        AtomicBoolean interrupted = new AtomicBoolean();
        List<String> log = new ArrayList<>();
        var events = new RecordedEvents();
        var bot = Machina.builder().clock(clock).gracePeriod(Duration.ofSeconds(1)).listener(events)
                .onStartup(() -> {
                    try {
                        clock.sleep(Duration.ofHours(1));
                    } catch (InterruptedException e) {
                        interrupted.set(true);
                        throw e;
                    }
                })
                .onShutdown(() -> log.add("shutdown at " + clock.elapsed()))
                .build();
        bot.emit("never", EmitOptions.every("1s"), event -> log.add("emit ran"));
        Launched running = clock.launch(bot::run);
        clock.runCurrent(); // the startup hook is sleeping

        bot.close();

        assertEquals(Duration.ofSeconds(1), clock.elapsed());
        assertTrue(interrupted.get(), "the hook was interrupted");
        running.join(); // the interrupt close() caused is not a failure
        assertEquals(List.of("shutdown at PT1S"), log, "no emit started, the shutdown hook ran");
        assertEquals(List.of(new BotEvent.GraceExpired(bot.name(), Duration.ofSeconds(1))),
                events.of(BotEvent.GraceExpired.class));
        assertEquals(List.of(), events.of(BotEvent.HookFailed.class));
        assertEquals(List.of(), clock.threads());
    }

    /** F8: cancel() after a fork finished does nothing: join gives its result, and a failure stays visible. */
    @Test
    void cancelAfterTheForkFinishedDoesNothing(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        bot.execute("answer", ExecuteOptions.defaults(), (Integer i) -> i * 2);
        bot.execute("broken-f8", ExecuteOptions.defaults(), (Integer i) -> {
            throw new IOException("broken");
        });
        List<Object> outcomes = new ArrayList<>();
        bot.emit("forker", EmitOptions.defaults().count(1), event -> {
            Forked<?> answer = event.execute("answer", 21);
            Forked<?> broken = event.execute("broken-f8", 0);
            event.sleep(Duration.ofSeconds(1)); // both have finished
            answer.cancel();
            broken.cancel();
            outcomes.add(answer.join());
            outcomes.add(assertThrows(IOException.class, broken::join).getMessage());
        });

        bot.run();

        assertEquals(List.of(42, "broken"), outcomes);
    }

    /** F8: a failure of a fork cancelled after it finished, and never joined, is still reported as unjoined, once. */
    @Test
    void aFailureCancelledAfterItFinishedIsStillReportedWhenNobodyJoinsIt(VirtualClock clock) throws Exception {
        var events = new RecordedEvents();
        var bot = Machina.builder().clock(clock).listener(events).build();
        bot.execute("lost-f8", ExecuteOptions.defaults(), (Integer i) -> {
            throw new IOException("nobody hears this");
        });
        bot.emit("forker", EmitOptions.defaults().count(1), event -> {
            Forked<?> lost = event.execute("lost-f8", 0);
            event.sleep(Duration.ofSeconds(1));
            lost.cancel();
        });

        bot.run();

        List<BotEvent.UnjoinedFailure> unjoined = events.of(BotEvent.UnjoinedFailure.class);
        assertEquals(1, unjoined.size(), unjoined::toString);
        assertEquals("lost-f8", unjoined.getFirst().execute());
        assertEquals("forker", unjoined.getFirst().emit());
        assertEquals("nobody hears this", unjoined.getFirst().failure().getMessage());
    }

    /** F9: forks belong to the emit's run: they outlive the iteration that forked them, not the emit. */
    @Test
    void forksOutliveTheIterationNotTheEmit(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        List<String> log = new ArrayList<>();
        bot.execute("slow", ExecuteOptions.defaults(), (Integer i) -> {
            clock.sleep(Duration.ofSeconds(10));
            log.add("fork done at " + clock.elapsed().toSeconds());
            return i;
        });
        bot.emit("tick", EmitOptions.every("1s").count(2), event -> {
            if (event.epoch() == 1) {
                event.execute("slow", 1);
            }
            log.add("iteration " + event.epoch() + " at " + clock.elapsed().toSeconds());
        });

        bot.run();

        assertEquals(List.of("iteration 1 at 0", "iteration 2 at 1", "fork done at 10"), log);
        assertEquals(Duration.ofSeconds(10), clock.elapsed(), "run() returned when the fork had finished");
    }

    /** F10: interrupting run() while a startup hook waits makes run() throw InterruptedException. */
    @Test
    void interruptingRunDuringAStartupHookThrowsInterruptedException(VirtualClock clock) throws Exception {
        AtomicBoolean hookInterrupted = new AtomicBoolean();
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        var bot = Machina.builder().clock(clock).onStartup(() -> {
            try {
                clock.sleep(Duration.ofHours(1));
            } catch (InterruptedException e) {
                hookInterrupted.set(true);
                throw e;
            }
        }).build();
        List<String> log = new ArrayList<>();
        bot.emit("never", EmitOptions.every("1s"), event -> log.add("emit ran"));
        Thread[] runner = new Thread[1];
        Launched running = clock.launch(() -> {
            runner[0] = Thread.currentThread();
            try {
                bot.run();
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        clock.advance(Duration.ofSeconds(1));

        clock.interrupt(runner[0]);
        running.join();

        assertInstanceOf(InterruptedException.class, outcome.get());
        assertTrue(hookInterrupted.get());
        assertEquals(List.of(), log);
        assertEquals(List.of(), clock.threads());
    }

    /** F12: a failure thrown by a handler after its emit was cancelled is reported once, not dropped. */
    @Test
    void aFailureAfterCancelIsReported(VirtualClock clock) throws Exception {
        var events = new RecordedEvents();
        var bot = Machina.builder().clock(clock).listener(events).build();
        var failure = new IllegalStateException("after my own cancel");
        bot.emit("suicidal-f12", EmitOptions.every("1s"), event -> {
            event.cancel("suicidal-f12");
            throw failure;
        });

        bot.run();

        assertEquals(List.of(new BotEvent.FailedAfterCancel(bot.name(), "suicidal-f12", failure)),
                events.of(BotEvent.FailedAfterCancel.class));
        assertEquals(List.of(), events.of(BotEvent.EmitFailed.class), "a cancelled emit's failure goes to no supervision");
    }

    /**
     * F12: the cancel's own InterruptedException, thrown on by a handler, ends its iteration but is
     * reported as no failure: neither a failure after cancel nor a failed emit.
     */
    @Test
    void theCancelsOwnInterruptIsNotAFailure(VirtualClock clock) throws Exception {
        var events = new RecordedEvents();
        var bot = Machina.builder().clock(clock).listener(events).build();
        bot.emit("sleeper-f12", EmitOptions.every("1s"), event -> event.sleep(Duration.ofHours(1)));
        bot.emit("canceller", EmitOptions.defaults().count(1), event -> {
            event.sleep(Duration.ofSeconds(1));
            event.cancel("sleeper-f12");
        });

        bot.run();

        List<BotEvent.IterationEnded> sleeper = events.of(BotEvent.IterationEnded.class).stream()
                .filter(e -> e.emit().equals("sleeper-f12")).toList();
        assertEquals(1, sleeper.size(), sleeper::toString);
        assertInstanceOf(InterruptedException.class, sleeper.getFirst().failure(), "the cancel ended the iteration");
        assertEquals(Duration.ofSeconds(1), sleeper.getFirst().duration());
        assertEquals(List.of(), events.of(BotEvent.FailedAfterCancel.class));
        assertEquals(List.of(), events.of(BotEvent.EmitFailed.class));
        assertEquals(List.of(new BotEvent.EmitEnded(bot.name(), "sleeper-f12", 1)),
                events.of(BotEvent.EmitEnded.class).stream().filter(e -> e.emit().equals("sleeper-f12")).toList());
    }
}
