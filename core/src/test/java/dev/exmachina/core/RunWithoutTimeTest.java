package dev.exmachina.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.exmachina.retry.Retry;
import dev.exmachina.retry.RetryRule;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The bot's lifecycle where no time passes: zero intervals, zero retry waits, the system clock. The
 * timing behaviour (intervals, windows, retry waits) is tested on the virtual clock in testkit.
 *
 * <p>The class timeout is a guard against a deadlock hanging the build, not a tolerance: every test
 * here finishes in milliseconds when the library is right.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RunWithoutTimeTest {

    @SuppressWarnings("serial")
    static final class Boom extends Exception {
        Boom(String message) {
            super(message);
        }
    }

    private final List<String> trace = new CopyOnWriteArrayList<>();

    @AfterEach
    void clearInterruptFlag() {
        Thread.interrupted(); // a failed test must not leave the flag set for the next one
    }

    private static Throwable thrownBy(ThrowingRunnable call) {
        try {
            call.run();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Throwable;
    }

    // ---- run() and its hooks --------------------------------------------------------------------

    @Test
    void testsThatABotWithNothingRegisteredReturnsFromRun() throws Exception {
        Machina bot = Machina.builder().build();
        bot.run();
        bot.run(); // and again
        assertEquals("machina", bot.name());
    }

    @Test
    void testsThatStartupHooksRunInOrderBeforeEmitsAndShutdownHooksAfter() throws Exception {
        Machina bot = Machina.builder()
                .onStartup(() -> trace.add("startup 1"))
                .onStartup(() -> trace.add("startup 2"))
                .onShutdown(() -> trace.add("shutdown 1"))
                .onShutdown(() -> trace.add("shutdown 2"))
                .build();
        bot.emit("tick", EmitOptions.defaults().count(2), event -> trace.add("tick " + event.epoch()));
        bot.run();
        assertEquals(List.of("startup 1", "startup 2", "tick 1", "tick 2", "shutdown 1", "shutdown 2"), trace);
    }

    @Test
    void testsThatHooksRunAlsoWithNothingRegistered() throws Exception {
        Machina bot = Machina.builder()
                .onStartup(() -> trace.add("startup"))
                .onShutdown(() -> trace.add("shutdown"))
                .build();
        bot.run();
        assertEquals(List.of("startup", "shutdown"), trace);
    }

    @Test
    void testsThatAFailingStartupHookFailsRunWithItsCauseRunsShutdownHooksAndStartsNoEmit() throws Exception {
        Boom boom = new Boom("no connection");
        AtomicInteger ticks = new AtomicInteger();
        Machina bot = Machina.builder()
                .onStartup(() -> {
                    trace.add("startup");
                    throw boom;
                })
                .onShutdown(() -> trace.add("shutdown"))
                .build();
        Emit tick = bot.emit("tick", EmitOptions.defaults().count(5), event -> ticks.incrementAndGet());
        MachinaException e = assertThrows(MachinaException.class, bot::run);
        assertSame(boom, e.getCause());
        assertEquals(List.of("startup", "shutdown"), trace);
        assertEquals(0, ticks.get());
        assertFalse(tick.isAlive());
    }

    @Test
    void testsThatAFailingShutdownHookFailsRunAndLaterShutdownHooksStillRun() throws Exception {
        IllegalStateException broken = new IllegalStateException("broken");
        Machina bot = Machina.builder()
                .onShutdown(() -> {
                    throw broken;
                })
                .onShutdown(() -> trace.add("shutdown 2"))
                .build();
        bot.emit("tick", EmitOptions.defaults().count(1), event -> trace.add("tick"));
        MachinaException e = assertThrows(MachinaException.class, bot::run);
        assertSame(broken, e.getCause());
        assertEquals(List.of("tick", "shutdown 2"), trace);
    }

    @Test
    void testsThatRunFromAHandlerOfTheRunningBotIsRefused() throws Exception {
        Machina bot = Machina.builder().build();
        AtomicReference<Throwable> refused = new AtomicReference<>();
        bot.emit("inner", EmitOptions.defaults().count(1), event -> refused.set(thrownBy(bot::run)));
        bot.run();
        IllegalStateException e = assertInstanceOf(IllegalStateException.class, refused.get());
        assertTrue(e.getMessage().contains("already running"), e.getMessage());
    }

    /**
     * Tests that {@code run()} returns once its last emit ends, however that end interleaves with the
     * runner. The runner once read the count of live emit threads before taking the run's lock, and
     * waiting for that lock could use up the wake-up of the emit that ended meanwhile: about one run
     * in 3,000 then waited forever (this test's guard was the class timeout). Many short runs make
     * that interleaving likely; each must end.
     */
    @Test
    void testsThatRunReturnsWhenItsLastEmitEndsInThousandsOfShortRuns() throws Exception {
        AtomicInteger ticks = new AtomicInteger();
        for (int run = 1; run <= 5_000; run++) {
            Machina bot = Machina.builder().build();
            bot.emit("once", EmitOptions.defaults().count(1), event -> ticks.incrementAndGet());
            bot.run();
            assertEquals(run, ticks.get());
        }
    }

    @Test
    void testsThatRunOnAnInterruptedThreadCancelsEverythingAndThrowsInterruptedException() {
        Machina bot = Machina.builder().onShutdown(() -> trace.add("shutdown")).build();
        Emit forever = bot.emit("forever", EmitOptions.defaults(), event -> trace.add("tick"));
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, bot::run);
        assertFalse(forever.isAlive());
        assertTrue(trace.contains("shutdown"), trace::toString);
    }

    // ---- counted emits --------------------------------------------------------------------------

    @Test
    void testsThatAnEmitWithCountZeroRunsZeroTimes() throws Exception {
        Machina bot = Machina.builder().build();
        AtomicInteger ticks = new AtomicInteger();
        Emit none = bot.emit("none", EmitOptions.defaults().count(0), event -> ticks.incrementAndGet());
        bot.run();
        assertEquals(0, ticks.get());
        assertFalse(none.isAlive());
    }

    @Test
    void testsThatAnEmitWithCountThreeRunsThreeTimesWithEpochsAndCountsLeft() throws Exception {
        Machina bot = Machina.builder().build();
        List<Long> epochs = new ArrayList<>();
        List<OptionalLong> counts = new ArrayList<>();
        List<Duration> previous = new ArrayList<>();
        List<Boolean> alive = new ArrayList<>();
        Emit[] self = new Emit[1];
        self[0] = bot.emit("three", EmitOptions.defaults().count(3), event -> {
            assertEquals("three", event.name());
            epochs.add(event.epoch());
            counts.add(event.count());
            previous.add(event.previousExecutionTime());
            alive.add(self[0].isAlive());
        });
        bot.run();
        assertEquals(List.of(1L, 2L, 3L), epochs);
        assertEquals(List.of(OptionalLong.of(2), OptionalLong.of(1), OptionalLong.of(0)), counts);
        assertEquals(Duration.ZERO, previous.get(0));
        previous.forEach(d -> assertFalse(d.isNegative(), () -> "negative previousExecutionTime " + d));
        assertEquals(List.of(true, true, true), alive);
        assertFalse(self[0].isAlive());
    }

    @Test
    void testsThatAnEmitWithoutCountHasAnEmptyCount() throws Exception {
        Machina bot = Machina.builder().build();
        List<OptionalLong> counts = new ArrayList<>();
        bot.emit("forever", EmitOptions.defaults(), event -> {
            counts.add(event.count());
            if (event.epoch() == 2) {
                event.stop(event.name());
            }
        });
        bot.run();
        assertEquals(List.of(OptionalLong.empty(), OptionalLong.empty()), counts);
    }

    @Test
    void testsThatAnEmitWithAutostartFalseDoesNotRunUntilStarted() throws Exception {
        Machina bot = Machina.builder().build();
        AtomicInteger ticks = new AtomicInteger();
        Emit later = bot.emit("later", EmitOptions.defaults().count(2).autostart(false), event -> ticks.incrementAndGet());
        bot.run();
        assertEquals(0, ticks.get());
        assertFalse(later.isAlive());
    }

    @Test
    void testsThatStartFromAnotherEmitRunsAStoppedEmitItsCount() throws Exception {
        Machina bot = Machina.builder().build();
        List<Long> epochs = new CopyOnWriteArrayList<>();
        bot.emit("later", EmitOptions.defaults().count(2).autostart(false), event -> epochs.add(event.epoch()));
        bot.emit("starter", EmitOptions.defaults().count(1), event -> event.start("later"));
        bot.run();
        assertEquals(List.of(1L, 2L), epochs);
    }

    @Test
    void testsThatADoubleStartRunsOneCopy() throws Exception {
        Machina bot = Machina.builder().build();
        AtomicInteger ticks = new AtomicInteger();
        AtomicBoolean bothStartsMade = new AtomicBoolean();
        bot.emit("later", EmitOptions.defaults().count(1).autostart(false), event -> {
            while (!bothStartsMade.get()) {
                Thread.yield(); // still alive when the second start comes (real time: no race on it)
            }
            ticks.incrementAndGet();
        });
        bot.emit("starter", EmitOptions.defaults().count(1), event -> {
            event.start("later");
            event.start("later"); // already alive: a warning, no second copy
            bothStartsMade.set(true);
        });
        bot.run();
        assertEquals(1, ticks.get());
    }

    @Test
    void testsThatStartFromAnotherEmitRerunsAFinishedCountedEmit() throws Exception {
        Machina bot = Machina.builder().build();
        List<Long> epochs = new CopyOnWriteArrayList<>();
        Emit counted = bot.emit("counted", EmitOptions.defaults().count(2), event -> epochs.add(event.epoch()));
        bot.emit("starter", EmitOptions.defaults().count(1), event -> {
            while (counted.isAlive()) {
                Thread.yield(); // waits for the first run to finish: no time involved
            }
            event.start("counted");
        });
        bot.run();
        assertEquals(List.of(1L, 2L, 1L, 2L), epochs); // the epoch counts within each run of the emit
        assertFalse(counted.isAlive());
    }

    @Test
    void testsThatABotRunsAgainAfterRunReturns() throws Exception {
        Machina bot = Machina.builder().onStartup(() -> trace.add("startup")).build();
        bot.emit("forever", EmitOptions.defaults(), event -> {
            trace.add("tick");
            event.stop(event.name());
        });
        bot.run();
        bot.run(); // a stopped emit without a count is started again by the next run
        assertEquals(List.of("startup", "tick", "startup", "tick"), trace);
    }

    @Test
    void testsThatAFinishedCountedEmitDoesNotRunAgainWhenTheBotRunsAgain() throws Exception {
        Machina bot = Machina.builder().build();
        AtomicInteger ticks = new AtomicInteger();
        Emit counted = bot.emit("counted", EmitOptions.defaults().count(3), event -> ticks.incrementAndGet());
        bot.run();
        assertEquals(3, ticks.get());
        bot.run();
        assertEquals(3, ticks.get(), "the finished counted emit ran again on the second run()");
        assertFalse(counted.isAlive());
    }

    // ---- stop and cancel, no time needed ---------------------------------------------------------

    @Test
    void testsThatAGracefulStopLetsTheCurrentIterationFinishAndStartsNoOther() throws Exception {
        Machina bot = Machina.builder().build();
        bot.emit("forever", EmitOptions.defaults(), event -> {
            trace.add("begin " + event.epoch());
            if (event.epoch() == 3) {
                event.stop(event.name());
            }
            trace.add("end " + event.epoch());
        });
        bot.run();
        assertEquals(List.of("begin 1", "end 1", "begin 2", "end 2", "begin 3", "end 3"), trace);
    }

    @Test
    void testsThatMachinaStopFromAHandlerStopsEveryEmitGracefully() throws Exception {
        Machina bot = Machina.builder().build();
        AtomicInteger others = new AtomicInteger();
        Emit other = bot.emit("other", EmitOptions.defaults(), event -> others.incrementAndGet());
        bot.emit("stopper", EmitOptions.defaults(), event -> {
            trace.add("stopper " + event.epoch());
            if (event.epoch() == 2) {
                bot.stop();
            }
        });
        bot.run(); // returns: "other" would run forever otherwise
        assertEquals(List.of("stopper 1", "stopper 2"), trace);
        assertFalse(other.isAlive());
    }

    @Test
    void testsThatCancelInterruptsTheCurrentIterationAndIsNotAFailure() throws Exception {
        Machina bot = Machina.builder().build();
        AtomicBoolean sawInterrupt = new AtomicBoolean();
        Emit self = bot.emit("forever", EmitOptions.defaults(), event -> {
            trace.add("tick " + event.epoch());
            if (event.epoch() == 2) {
                event.cancel(event.name());
                sawInterrupt.set(Thread.currentThread().isInterrupted());
                event.sleep(Duration.ofDays(1)); // throws InterruptedException at once: the cancel
                trace.add("not reached");
            }
        });
        bot.run(); // the InterruptedException of a cancelled iteration is not a failure of the bot
        assertTrue(sawInterrupt.get());
        assertEquals(List.of("tick 1", "tick 2"), trace);
        assertFalse(self.isAlive());
    }

    // ---- failures of emit handlers --------------------------------------------------------------

    @Test
    void testsThatAFailingEmitFailsRunWithThatExactCauseAfterShutdownHooks() {
        Boom boom = new Boom("emit failed");
        Machina bot = Machina.builder().onShutdown(() -> trace.add("shutdown")).build();
        bot.emit("failing", EmitOptions.defaults().count(5), event -> {
            trace.add("tick " + event.epoch());
            throw boom;
        });
        MachinaException e = assertThrows(MachinaException.class, bot::run);
        assertSame(boom, e.getCause());
        assertTrue(e.getMessage().contains("'failing'"), e.getMessage());
        assertEquals(List.of("tick 1", "shutdown"), trace);
    }

    @Test
    void testsThatAFailingEmitStopsTheOtherEmits() {
        RuntimeException boom = new IllegalStateException("emit failed");
        Machina bot = Machina.builder().build();
        Emit forever = bot.emit("forever", EmitOptions.defaults(), event -> {});
        bot.emit("failing", EmitOptions.defaults().count(1), event -> {
            throw boom;
        });
        MachinaException e = assertThrows(MachinaException.class, bot::run); // returns: "forever" was stopped
        assertSame(boom, e.getCause());
        assertFalse(forever.isAlive());
    }

    @Test
    void testsThatAnErrorThrownByAHandlerIsTheCauseUnchanged() {
        AssertionError error = new AssertionError("fatal");
        Machina bot = Machina.builder().build();
        bot.emit("failing", EmitOptions.defaults().count(1), event -> {
            throw error;
        });
        MachinaException e = assertThrows(MachinaException.class, bot::run);
        assertSame(error, e.getCause());
    }

    @Test
    void testsThatLogAndContinueGoesOnWithTheNextIteration() throws Exception {
        Machina bot = Machina.builder().build();
        bot.emit("flaky", EmitOptions.defaults().count(3).supervision(Supervision.logAndContinue()), event -> {
            trace.add("tick " + event.epoch());
            throw new Boom("iteration " + event.epoch());
        });
        bot.run(); // no failure: each was logged
        assertEquals(List.of("tick 1", "tick 2", "tick 3"), trace);
    }

    @Test
    void testsThatRestartWithZeroWaitsRetriesUntilTheBudgetIsSpentThenFailsTheBot() {
        Boom boom = new Boom("always");
        Machina bot = Machina.builder().build();
        bot.emit("flaky", EmitOptions.defaults().supervision(
                Supervision.restart(Retry.of(RetryRule.fixed(Boom.class, Duration.ZERO).retries(2)))), event -> {
            trace.add("tick " + event.epoch());
            throw boom;
        });
        MachinaException e = assertThrows(MachinaException.class, bot::run);
        assertSame(boom, e.getCause());
        assertEquals(List.of("tick 1", "tick 2", "tick 3"), trace);
    }

    @Test
    void testsThatABotRunsAgainAfterAFailedRun() throws Exception {
        AtomicBoolean fail = new AtomicBoolean(true);
        Machina bot = Machina.builder().build();
        bot.emit("sometimes", EmitOptions.defaults(), event -> {
            trace.add("tick");
            if (fail.getAndSet(false)) {
                throw new Boom("first run");
            }
            event.stop(event.name());
        });
        assertThrows(MachinaException.class, bot::run);
        bot.run(); // the failure of the first run is not thrown again
        assertEquals(List.of("tick", "tick"), trace);
    }

    // ---- executes called directly ---------------------------------------------------------------

    @Test
    void testsThatADirectCallWithThreeRetriesThatAlwaysFailsRunsFourTimesAndLeavesNothingInFlight() {
        Machina bot = Machina.builder().build();
        ConcurrentGroup group = bot.concurrentGroup("limit", GroupLimits.concurrency(2));
        IOException failure = new IOException("down");
        AtomicInteger attempts = new AtomicInteger();
        List<Integer> groupInFlight = new ArrayList<>();
        Execute<String, String>[] self = newExecuteArray();
        self[0] = bot.execute("fetch", ExecuteOptions.groups("limit")
                .retry(Retry.of(RetryRule.fixed(IOException.class, Duration.ZERO).retries(3))), x -> {
            attempts.incrementAndGet();
            groupInFlight.add(group.inFlight());
            throw failure;
        });
        IOException thrown = assertThrows(IOException.class, () -> self[0].call("x"));
        assertSame(failure, thrown);
        assertEquals(4, attempts.get());
        assertEquals(List.of(1, 1, 1, 1), groupInFlight); // each attempt held its slot...
        assertEquals(0, group.inFlight()); // ...and gave it back
        assertEquals(0, group.waiting());
    }

    @SuppressWarnings("unchecked")
    private static <A, R> Execute<A, R>[] newExecuteArray() {
        return (Execute<A, R>[]) new Execute<?, ?>[1];
    }

    @Test
    void testsThatADirectCallReturnsTheResultOfTheFirstSuccessfulAttempt() throws Exception {
        Machina bot = Machina.builder().build();
        ConcurrentGroup limit = bot.concurrentGroup("limit", GroupLimits.concurrency(1));
        AtomicInteger attempts = new AtomicInteger();
        Execute<Integer, Integer> flaky = bot.execute("flaky", ExecuteOptions.groups("limit")
                .retry(Retry.of(RetryRule.fixed(IOException.class, Duration.ZERO).retries(5))), x -> {
            if (attempts.incrementAndGet() < 3) {
                throw new IOException("attempt " + attempts.get());
            }
            return x * 2;
        });
        assertEquals(42, flaky.call(21));
        assertEquals(3, attempts.get());
        assertEquals(0, limit.inFlight());
    }

    @Test
    void testsThatAFailureNoRuleMatchesPropagatesUnchangedAfterOneAttempt() {
        Machina bot = Machina.builder().build();
        IllegalStateException failure = new IllegalStateException("not retried");
        AtomicInteger attempts = new AtomicInteger();
        Execute<Object, Object> fetch = bot.execute("fetch", ExecuteOptions.defaults()
                .retry(Retry.of(RetryRule.fixed(IOException.class, Duration.ZERO).retries(3))), x -> {
            attempts.incrementAndGet();
            throw failure;
        });
        assertSame(failure, assertThrows(IllegalStateException.class, () -> fetch.call(null)));
        assertEquals(1, attempts.get());
    }

    @Test
    void testsThatAnErrorFromAnExecutePassesThroughUnwrapped() {
        Machina bot = Machina.builder().build();
        bot.concurrentGroup("limit", GroupLimits.concurrency(1));
        AssertionError error = new AssertionError("fatal");
        ConcurrentGroup group = bot.concurrentGroup("other", GroupLimits.concurrency(1));
        Execute<Object, Object> fetch = bot.execute("fetch", ExecuteOptions.groups("other", "limit"), x -> {
            throw error;
        });
        assertSame(error, assertThrows(AssertionError.class, () -> fetch.call(null)));
        assertEquals(0, group.inFlight());
    }

    @Test
    void testsThatANullArgumentReachesTheHandler() throws Exception {
        Machina bot = Machina.builder().build();
        Execute<Object, String> describe = bot.execute("describe", ExecuteOptions.defaults(), String::valueOf);
        assertEquals("null", describe.call(null));
    }

    // ---- executes forked from an emit -----------------------------------------------------------

    @Test
    void testsThatAForkedExecuteJoinsWithItsResultByHandleAndByName() throws Exception {
        Machina bot = Machina.builder().build();
        Execute<Integer, Integer> answer = bot.execute("answer", ExecuteOptions.defaults(), x -> x + 41);
        List<Object> results = new CopyOnWriteArrayList<>();
        bot.emit("tick", EmitOptions.defaults().count(1), event -> {
            Forked<Integer> byHandle = event.execute(answer, 1);
            Forked<?> byName = event.execute("answer", 2);
            results.add(byHandle.join());
            results.add(byName.join());
            results.add(byHandle.isDone());
            results.add(byHandle.name());
            results.add(answer.call(0)); // direct, in the emit's thread
        });
        bot.run();
        assertEquals(List.of(42, 43, true, "answer", 41), results);
    }

    @Test
    void testsThatAForkedFailureReachesItsJoinerUnchanged() throws Exception {
        Machina bot = Machina.builder().build();
        IOException failure = new IOException("down");
        Execute<Object, Object> fetch = bot.execute("fetch", ExecuteOptions.defaults(), x -> {
            throw failure;
        });
        AtomicReference<Throwable> joined = new AtomicReference<>();
        bot.emit("tick", EmitOptions.defaults().count(1), event -> joined.set(thrownBy(event.execute(fetch, null)::join)));
        bot.run(); // the emit caught it: not a failure of the bot
        assertSame(failure, joined.get());
    }

    @Test
    void testsThatAnEmitEndsOnlyAfterTheExecutesItForkedWhichMayOutliveTheirIteration() throws Exception {
        Machina bot = Machina.builder().build();
        AtomicBoolean lastIterationDone = new AtomicBoolean();
        Execute<Object, Object> slow = bot.execute("slow", ExecuteOptions.defaults(), x -> {
            while (!lastIterationDone.get()) {
                Thread.yield(); // runs on past its iteration: no time involved
            }
            trace.add("execute ended");
            return null;
        });
        bot.emit("tick", EmitOptions.defaults().count(2), event -> {
            trace.add("iteration " + event.epoch());
            if (event.epoch() == 1) {
                event.execute(slow, null); // not joined
            } else {
                lastIterationDone.set(true);
            }
        });
        bot.run();
        assertEquals(List.of("iteration 1", "iteration 2", "execute ended"), trace,
                "the fork outlived iteration 1, and run() returned only after it ended");
    }

    @Test
    void testsThatACancelledForkInterruptsItAndItsJoinThrowsCancellationException() throws Exception {
        Machina bot = Machina.builder().build();
        CountDownLatch never = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        Execute<Object, Object> blocked = bot.execute("blocked", ExecuteOptions.defaults(), x -> {
            started.countDown();
            try {
                never.await(); // a user's own blocking, ended by the cancel
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw e;
            }
            return null;
        });
        AtomicReference<Throwable> joined = new AtomicReference<>();
        AtomicBoolean done = new AtomicBoolean();
        bot.emit("tick", EmitOptions.defaults().count(1), event -> {
            Forked<Object> forked = event.execute(blocked, null);
            started.await();
            forked.cancel();
            joined.set(thrownBy(forked::join));
            done.set(forked.isDone());
        });
        bot.run();
        assertInstanceOf(CancellationException.class, joined.get());
        assertTrue(interrupted.get());
        assertTrue(done.get());
    }

    @Test
    void testsThatAForkedExecuteOfAnotherBotIsRefused() throws Exception {
        Machina bot = Machina.builder().build();
        Machina other = Machina.builder().build();
        Execute<Object, Object> foreign = other.execute("foreign", ExecuteOptions.defaults(), x -> x);
        AtomicReference<Throwable> refused = new AtomicReference<>();
        bot.emit("tick", EmitOptions.defaults().count(1), event -> refused.set(thrownBy(() -> event.execute(foreign, null))));
        bot.run();
        IllegalArgumentException e = assertInstanceOf(IllegalArgumentException.class, refused.get());
        assertTrue(e.getMessage().contains("'foreign'"), e.getMessage());
    }

    // ---- events: names, threads, lifetime -------------------------------------------------------

    @Test
    void testsThatUnknownNamesGivenToAnEventAreRefusedNamingThem() throws Exception {
        Machina bot = Machina.builder().build();
        bot.execute("known", ExecuteOptions.defaults(), x -> x);
        List<Throwable> refusals = new CopyOnWriteArrayList<>();
        bot.emit("tick", EmitOptions.defaults().count(1), event -> {
            refusals.add(thrownBy(() -> event.execute("unknown", 1)));
            refusals.add(thrownBy(() -> event.start("nowhere")));
            refusals.add(thrownBy(() -> event.stop("nowhere")));
            refusals.add(thrownBy(() -> event.cancel("nowhere")));
        });
        bot.run();
        assertEquals(4, refusals.size());
        IllegalArgumentException execute = assertInstanceOf(IllegalArgumentException.class, refusals.get(0));
        assertTrue(execute.getMessage().contains("'unknown'"), execute.getMessage());
        assertTrue(execute.getMessage().contains("known"), "should list the registered executes: " + execute.getMessage());
        for (Throwable emitRefusal : refusals.subList(1, 4)) {
            IllegalArgumentException e = assertInstanceOf(IllegalArgumentException.class, emitRefusal);
            assertTrue(e.getMessage().contains("'nowhere'"), e.getMessage());
            assertTrue(e.getMessage().contains("tick"), "should list the registered emits: " + e.getMessage());
        }
    }

    @Test
    void testsThatAnEventUsedFromAnotherThreadThrowsWrongThreadException() throws Exception {
        Machina bot = Machina.builder().build();
        Execute<Object, Object> fetch = bot.execute("fetch", ExecuteOptions.defaults(), x -> x);
        List<Throwable> thrown = new CopyOnWriteArrayList<>();
        bot.emit("other", EmitOptions.defaults().count(0).autostart(false), event -> {});
        bot.emit("tick", EmitOptions.defaults().count(1), event -> {
            Thread stranger = Thread.ofPlatform().name("stranger").start(() -> {
                thrown.add(thrownBy(() -> event.start("other")));
                thrown.add(thrownBy(() -> event.stop("other")));
                thrown.add(thrownBy(() -> event.cancel("other")));
                thrown.add(thrownBy(() -> event.execute(fetch, null)));
                thrown.add(thrownBy(() -> event.execute("fetch", null)));
                thrown.add(thrownBy(() -> event.sleep(Duration.ZERO)));
            });
            stranger.join();
        });
        bot.run();
        assertEquals(6, thrown.size());
        for (Throwable t : thrown) {
            WrongThreadException e = assertInstanceOf(WrongThreadException.class, t);
            assertTrue(e.getMessage().contains("'tick'"), e.getMessage());
            assertTrue(e.getMessage().contains("stranger"), e.getMessage());
        }
    }

    @Test
    void testsThatEveryUseOfAnEventFromAnotherThreadThrowsWrongThreadException() throws Exception {
        Machina bot = Machina.builder().build();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        bot.emit("tick", EmitOptions.defaults().count(1), event -> {
            Thread stranger = Thread.ofPlatform().start(() -> thrown.set(thrownBy(event::epoch)));
            stranger.join();
        });
        bot.run();
        assertInstanceOf(WrongThreadException.class, thrown.get());
    }

    @Test
    void testsThatAnEventUsedAfterItsIterationThrowsIllegalStateException() throws Exception {
        Machina bot = Machina.builder().build();
        AtomicReference<Event> first = new AtomicReference<>();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        bot.emit("other", EmitOptions.defaults().count(0).autostart(false), event -> {});
        bot.emit("tick", EmitOptions.defaults().count(2), event -> {
            if (event.epoch() == 1) {
                first.set(event);
            } else {
                thrown.set(thrownBy(() -> first.get().start("other"))); // same thread, next iteration
            }
        });
        bot.run();
        assertNotNull(first.get());
        IllegalStateException e = assertInstanceOf(IllegalStateException.class, thrown.get());
        assertTrue(e.getMessage().contains("epoch 1"), e.getMessage());
    }

    @Test
    void testsThatEventSleepOfZeroReturnsAtOnce() throws Exception {
        Machina bot = Machina.builder().build();
        AtomicReference<Throwable> thrown = new AtomicReference<>(new AssertionError("not run"));
        bot.emit("tick", EmitOptions.defaults().count(1), event -> thrown.set(thrownBy(() -> event.sleep(Duration.ZERO))));
        bot.run();
        assertNull(thrown.get());
    }

    // ---- close ----------------------------------------------------------------------------------

    @Test
    void testsThatCloseIsIdempotentAndARunAfterItIsRefused() {
        Machina bot = Machina.builder().build();
        bot.close();
        bot.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, bot::run);
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void testsThatCloseFromAStartupHookClosesTheBotWithoutWaitingForItself() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>(new AssertionError("not run"));
        Machina[] self = new Machina[1];
        self[0] = Machina.builder().onStartup(() -> thrown.set(thrownBy(() -> self[0].close()))).build();
        AtomicInteger ticks = new AtomicInteger();
        self[0].emit("tick", EmitOptions.defaults().count(3), event -> ticks.incrementAndGet());
        self[0].run();
        assertNull(thrown.get());
        assertEquals(0, ticks.get(), "a bot closed during startup starts no emit");
        assertThrows(IllegalStateException.class, self[0]::run);
    }

    @Test
    // the deadlock guard, in its own thread so that a deadlocked run() cannot hang the build; with
    // gracePeriod 0 the library needs no time here
    @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void testsThatCloseFromAnEmitHandlerDoesNotDeadlock() throws Exception {
        Machina bot = Machina.builder().gracePeriod(Duration.ZERO).build();
        AtomicReference<Throwable> thrown = new AtomicReference<>(new AssertionError("not run"));
        bot.emit("closer", EmitOptions.defaults(), event -> thrown.set(thrownBy(bot::close)));
        bot.run();
        Throwable t = thrown.get();
        assertTrue(t == null || t instanceof IllegalStateException, () -> "close() from a handler threw " + t);
        assertThrows(IllegalStateException.class, bot::run);
    }
}
