package dev.exmachina.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.exmachina.core.BotEvent;
import dev.exmachina.core.BotListener;
import dev.exmachina.core.EmitMode;
import dev.exmachina.core.EmitOptions;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.core.Machina;
import dev.exmachina.core.MachinaException;
import dev.exmachina.core.Supervision;
import dev.exmachina.core.spi.EmitLease;
import dev.exmachina.retry.Retry;
import dev.exmachina.retry.RetryRule;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The public listener API: what a bot reports, in order, in exact bot-clock time. */
@ExtendWith(VirtualClockExtension.class)
class ListenerEventsTest {

    /** Records every event as a line "+millis kind details", in the order the bot reports them. */
    static final class Recorder implements BotListener {
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        private final VirtualClock clock;

        Recorder(VirtualClock clock) {
            this.clock = clock;
        }

        @Override
        public void onEvent(BotEvent event) {
            String what = switch (event) {
                case BotEvent.BotStarted e -> "bot started, groups " + e.groups().stream().map(g -> g.name()).toList();
                case BotEvent.BotStopped e -> "bot stopped, failure " + e.failure();
                case BotEvent.IterationStarted e -> "iteration " + e.emit() + "#" + e.epoch() + " lag " + e.lag().toMillis();
                case BotEvent.IterationEnded e -> "iteration " + e.emit() + "#" + e.epoch() + " ended after "
                        + e.duration().toMillis() + (e.failure() == null ? "" : " failing " + e.failure().getMessage());
                case BotEvent.AttemptStarted e -> "attempt " + e.execute() + "#" + e.attempt();
                case BotEvent.AttemptEnded e -> "attempt " + e.execute() + "#" + e.attempt() + " " + e.outcome()
                        + " after " + e.duration().toMillis();
                case BotEvent.GroupWaited e -> "waited " + e.waited().toMillis() + " for " + e.waitedFor() + " of "
                        + e.group() + " (" + e.execute() + ")";
                case BotEvent.RetryScheduled e -> "retry " + e.execute() + " #" + e.retry() + " in "
                        + e.waitTime().toMillis() + " after " + e.cause().getMessage();
                case BotEvent.EmitFailed e -> "emit " + e.emit() + " failed (" + e.failure().getMessage() + "): "
                        + e.decision();
                case BotEvent.HookFailed e -> e.hook() + " hook failed " + e.failure();
                case BotEvent.ClosedFromInside e -> "closed from inside";
                case BotEvent.GraceExpired e -> "grace of " + e.gracePeriod().toMillis() + " expired";
                case BotEvent.EmitStarted e -> "emit " + e.emit() + " started, " + e.running() + " running";
                case BotEvent.EmitEnded e -> "emit " + e.emit() + " ended after " + e.iterations() + " iterations";
                case BotEvent.StartRefused e -> "start of " + e.emit() + " refused: " + e.reason();
                case BotEvent.IterationOverran e -> "iteration of " + e.emit() + " overran by " + e.lag().toMillis();
                case BotEvent.IterationSkipped e -> "iteration of " + e.emit() + " skipped, due " + e.late().toMillis() + " ago";
                case BotEvent.FailedAfterCancel e -> "emit " + e.emit() + " failed after cancel: " + e.failure().getMessage();
                case BotEvent.LeaseFailed e -> "lease of " + e.emit() + " failed to " + e.step();
                case BotEvent.AttemptOverran e -> "attempt " + e.execute() + "#" + e.attempt() + " overran by "
                        + e.overran().toMillis();
                case BotEvent.UnjoinedFailure e -> "unjoined " + e.execute() + " of " + e.emit() + " failed: "
                        + e.failure().getMessage();
                case BotEvent.CircuitStateChanged e -> "breaker " + e.breaker().name() + " " + e.from() + "->" + e.to();
                case BotEvent.GroupPaused e -> "group " + e.group() + " paused for " + e.pause().toMillis();
                case BotEvent.GroupLimitsChanged e -> "group " + e.group() + " limits " + e.from() + " -> " + e.to();
            };
            lines.add("+" + clock.elapsed().toMillis() + " " + what);
        }
    }

    /**
     * Tests that a scenario with a group wait, a retry and an emit failure is reported as this
     * exact sequence of events, with exact bot-clock durations: two forks share a concurrency-1
     * group (the second waits 50 ms for the slot), the first fails once and is retried after
     * 100 ms, then an emit fails under logAndContinue.
     */
    @Test
    void testsThatTheEventsOfAScenarioComeInOrderWithExactDurations(VirtualClock clock) throws Exception {
        Recorder recorder = new Recorder(clock);
        var bot = Machina.builder().clock(clock).listener(recorder).build();
        bot.concurrentGroup("api", GroupLimits.concurrency(1));
        AtomicInteger calls = new AtomicInteger();
        var fetch = bot.execute("fetch", ExecuteOptions.groups("api")
                .retry(Retry.of(RetryRule.fixed(IOException.class, Duration.ofMillis(100)).retries(1))), (String who) -> {
                    clock.sleep(Duration.ofMillis(50));
                    if (who.equals("a") && calls.incrementAndGet() == 1) {
                        throw new IOException("down");
                    }
                    return who;
                });
        bot.emit("poll", EmitOptions.defaults().count(1), event -> {
            var a = event.execute(fetch, "a");
            var b = event.execute(fetch, "b");
            a.join();
            b.join();
        });
        bot.emit("flaky", EmitOptions.every("1s").count(1).supervision(Supervision.logAndContinue()), event -> {
            event.sleep(Duration.ofMillis(300));
            throw new IllegalStateException("bad tick");
        });

        bot.run();

        assertEquals(List.of(
                "+0 bot started, groups [api]",
                "+0 emit poll started, 2 running",
                "+0 iteration poll#1 lag 0",
                "+0 emit flaky started, 2 running",
                "+0 iteration flaky#1 lag 0",
                "+0 attempt fetch#1",
                "+50 attempt fetch#1 FAILURE after 50",
                "+50 retry fetch #1 in 100 after down",
                "+50 waited 50 for SLOT of api (fetch)",
                "+50 attempt fetch#1",
                "+100 attempt fetch#1 SUCCESS after 50",
                "+150 attempt fetch#2",
                "+200 attempt fetch#2 SUCCESS after 50",
                "+200 iteration poll#1 ended after 200",
                "+200 emit poll ended after 1 iterations",
                "+300 iteration flaky#1 ended after 300 failing bad tick",
                "+300 emit flaky failed (bad tick): CONTINUE",
                "+300 emit flaky ended after 1 iterations",
                "+300 bot stopped, failure null"), recorder.lines);
    }

    /** Tests that a listener that throws breaks neither the bot nor the listeners after it. */
    @Test
    void testsThatAThrowingListenerBreaksNothing(VirtualClock clock) throws Exception {
        Recorder after = new Recorder(clock);
        var bot = Machina.builder().clock(clock)
                .listener(new BotListener() {
                    @Override
                    public void onAttemptEnded(BotEvent.AttemptEnded event) {
                        throw new IllegalStateException("listener bug");
                    }
                })
                .listener(after).build();
        var echo = bot.execute("echo", ExecuteOptions.defaults(), (Integer x) -> x);
        List<Integer> results = new ArrayList<>();
        bot.emit("e", EmitOptions.every("1s").count(3), event -> results.add(echo.call((int) event.epoch())));

        bot.run();

        assertEquals(List.of(1, 2, 3), results);
        assertEquals(3, after.lines.stream().filter(l -> l.contains("SUCCESS")).count(), () -> String.join("\n", after.lines));
        assertTrue(after.lines.getLast().endsWith("bot stopped, failure null"), after.lines::toString);
    }

    /**
     * Tests that what a bot only logged before reaches listeners too: a start refused because the
     * emit runs (and because the bot stops), a fixed-rate iteration that overran, a hook failure with
     * its kind, and close() from the bot's own thread.
     */
    @Test
    void testsThatRefusedStartsOverrunsHookFailuresAndCloseFromInsideReachListeners(VirtualClock clock) throws Exception {
        var events = new RecordedEvents();
        var hookFailure = new IllegalStateException("shutdown hook bug");
        var bot = Machina.builder().clock(clock).listener(events).onShutdown(() -> {
            throw hookFailure;
        }).build();
        bot.emit("late", EmitOptions.every("1s").count(2).mode(EmitMode.ENTIRE), event -> {
            event.sleep(Duration.ofMillis(1_300)); // the second iteration was due at 1 s
        });
        bot.emit("starter", EmitOptions.defaults().count(1), event -> {
            event.start("late"); // running already
            event.sleep(Duration.ofSeconds(3));
            bot.close(); // from the bot's own thread: stops and returns
            event.start("late"); // the bot stops now
        });

        var failed = assertThrows(MachinaException.class, bot::run);

        assertSame(hookFailure, failed.getCause());
        String name = bot.name();
        assertEquals(List.of(new BotEvent.StartRefused(name, "late", BotEvent.StartRefusal.ALREADY_RUNNING),
                new BotEvent.StartRefused(name, "late", BotEvent.StartRefusal.BOT_STOPPING)),
                events.of(BotEvent.StartRefused.class));
        assertEquals(List.of(new BotEvent.IterationOverran(name, "late", Duration.ofMillis(300))),
                events.of(BotEvent.IterationOverran.class));
        assertEquals(List.of(new BotEvent.ClosedFromInside(name)), events.of(BotEvent.ClosedFromInside.class));
        assertEquals(List.of(new BotEvent.HookFailed(name, BotEvent.HookKind.SHUTDOWN, hookFailure)),
                events.of(BotEvent.HookFailed.class));
        assertEquals(hookFailure, events.of(BotEvent.BotStopped.class).getFirst().failure());
    }

    /** Tests that a singleton emit's lease trouble reaches listeners: a take that throws skips the iteration. */
    @Test
    void testsThatALeaseThatCannotBeTakenIsReportedAndTheIterationSkipped(VirtualClock clock) throws Exception {
        var events = new RecordedEvents();
        var bot = Machina.builder().clock(clock).listener(events).build();
        var unreachable = new IllegalStateException("store unreachable");
        List<Long> ran = new ArrayList<>();
        bot.emit("job", EmitOptions.every("1s").count(1).singleton(new EmitLease() {
            private int calls;

            @Override
            public OptionalLong tryAcquire() {
                if (calls++ == 0) {
                    throw unreachable;
                }
                return OptionalLong.of(7);
            }

            @Override
            public boolean renew() {
                return true;
            }

            @Override
            public void release() {}

            @Override
            public Duration renewEvery() {
                return Duration.ofHours(1);
            }
        }), event -> ran.add(clock.elapsed().toMillis()));

        bot.run();

        assertEquals(List.of(new BotEvent.LeaseFailed(bot.name(), "job", BotEvent.LeaseStep.TAKE, unreachable)),
                events.of(BotEvent.LeaseFailed.class));
        assertEquals(List.of(1_000L), ran, "the first try was skipped, the next one ran after the interval");
    }
}
