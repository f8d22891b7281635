package dev.exmachina.retry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RetryTest {
    @SuppressWarnings("serial")
    static class Parent extends Exception {}

    @SuppressWarnings("serial")
    static class Child extends Parent {}

    /** An Error of our own, standing in for OutOfMemoryError and friends. */
    @SuppressWarnings("serial")
    static class Fatal extends Error {}

    private static final Sleeper NO_SLEEP = duration -> {};

    private final RetryRule<?> parentOnce = RetryRule.fixed(Parent.class, Duration.ofSeconds(1)).retries(1);
    private final RetryRule<?> childOnce = RetryRule.fixed(Child.class, Duration.ofSeconds(2)).retries(1);
    private final List<RetryEvent> events = new ArrayList<>();
    private final List<Duration> sleeps = new ArrayList<>();
    private final Sleeper recordingSleeper = sleeps::add;

    @AfterEach
    void clearInterruptFlag() {
        Thread.interrupted(); // a failed assertion must not leave the flag set for the next test
    }

    /**
     * Tests that a rule's filter is asked before its budget is checked, as in exmachina: with rules
     * [Parent, Child], fixed, one retry each, raising Parent twice asks Parent's filter twice.
     */
    @Test
    void filterIsAskedBeforeTheBudgetIsChecked() {
        AtomicInteger parentFilterCalls = new AtomicInteger();
        var retry = Retry.of(
                RetryRule.fixed(Parent.class, Duration.ofSeconds(1)).retries(1).filter(e -> {
                    parentFilterCalls.incrementAndGet();
                    return true;
                }),
                childOnce);
        var task = new Failing(Parent::new);
        assertThrows(Parent.class, () -> retry.call(task, recordingSleeper, new SplittableRandom(1)));
        assertEquals(2, task.attempts());
        assertEquals(2, parentFilterCalls.get());
        assertEquals(List.of(Duration.ofSeconds(1)), sleeps);
    }

    // The seed's cases: rules for a parent and a child exception type, in both orders.

    @Test
    void parentFirstRaisingParentRetriesOnceByTheParentRuleThenRethrows() {
        var retry = Retry.of(parentOnce, childOnce).listener(events::add);
        var task = new Failing(Parent::new);
        var thrown = assertThrows(Parent.class, () -> retry.call(task, recordingSleeper, new SplittableRandom(1)));
        assertEquals(2, task.attempts());
        assertRulesThatRetried(parentOnce);
        assertSame(task.last(), thrown);
    }

    @Test
    void parentFirstRaisingChildRetriesByTheParentRuleThenByTheChildRule() {
        var retry = Retry.of(parentOnce, childOnce).listener(events::add);
        var task = new Failing(Child::new);
        var thrown = assertThrows(Child.class, () -> retry.call(task, recordingSleeper, new SplittableRandom(1)));
        assertEquals(3, task.attempts());
        assertRulesThatRetried(parentOnce, childOnce);
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), sleeps);
        assertSame(task.last(), thrown);
    }

    @Test
    void childFirstRaisingParentRetriesOnlyByTheParentRule() {
        var retry = Retry.of(childOnce, parentOnce).listener(events::add);
        var task = new Failing(Parent::new);
        assertThrows(Parent.class, () -> retry.call(task, recordingSleeper, new SplittableRandom(1)));
        assertEquals(2, task.attempts());
        assertRulesThatRetried(parentOnce);
    }

    @Test
    void childFirstRaisingChildRetriesByTheChildRuleThenByTheParentRule() {
        var retry = Retry.of(childOnce, parentOnce).listener(events::add);
        var task = new Failing(Child::new);
        assertThrows(Child.class, () -> retry.call(task, recordingSleeper, new SplittableRandom(1)));
        assertEquals(3, task.attempts());
        assertRulesThatRetried(childOnce, parentOnce);
        assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(1)), sleeps);
    }

    @Test
    void aFilterThatRejectsTheFailureMeansNoRetryAtAll() {
        var retry = Retry.of(parentOnce.filter(e -> false)).listener(events::add);
        var task = new Failing(Parent::new);
        var thrown = assertThrows(Parent.class, () -> retry.call(task, recordingSleeper, new SplittableRandom(1)));
        assertEquals(1, task.attempts());
        assertSame(task.last(), thrown);
        assertTrue(events.isEmpty());
        assertTrue(sleeps.isEmpty());
    }

    @Test
    void threeRetriesOnAnAlwaysFailingCallMakeFourAttemptsThenThrowTheLastFailureUnchanged() {
        var retry = Retry.of(RetryRule.fixed(IOException.class, Duration.ofMillis(10)).retries(3));
        var task = new Failing(() -> new IOException("attempt"));
        var thrown = assertThrows(IOException.class, () -> retry.call(task, recordingSleeper, new SplittableRandom(1)));
        assertEquals(4, task.attempts());
        assertSame(task.last(), thrown);
        assertEquals(0, thrown.getSuppressed().length, "not decorated");
        assertEquals(List.of(Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofMillis(10)), sleeps);
    }

    @Test
    void theSleeperWaitsWhatTheRuleSaysFibonacciOneOneTwoThreeFiveSeconds() throws Exception {
        var retry = Retry.of(RetryRule.fibonacci(IOException.class));
        var task = new Failing(IOException::new).succeedingAfter(5, "done");
        assertEquals("done", retry.call(task, recordingSleeper, new SplittableRandom(1)));
        assertEquals(List.of(1L, 1L, 2L, 3L, 5L), sleeps.stream().map(Duration::toSeconds).toList());
    }

    @Test
    void unlimitedRetriesKeepGoingUntilTheTaskSucceeds() throws Exception {
        var retry = Retry.of(RetryRule.exponentialAndJitter(IOException.class)).listener(events::add);
        var task = new Failing(IOException::new).succeedingAfter(300, 42);
        assertEquals(42, retry.call(task, NO_SLEEP, new SplittableRandom(1)));
        assertEquals(301, task.attempts());
        assertEquals(300, events.size());
        assertNull(events.getLast().retriesLeft(), "unlimited");
        assertEquals(300, events.getLast().retry());
    }

    @Test
    void aTaskThatSucceedsAtOnceIsCalledOnceAndNeverSleeps() throws Exception {
        var retry = Retry.of(parentOnce);
        var task = new Failing(Parent::new).succeedingAfter(0, "first");
        assertEquals("first", retry.call(task, recordingSleeper, new SplittableRandom(1)));
        assertEquals(1, task.attempts());
        assertTrue(sleeps.isEmpty());
    }

    @Test
    void noneNeverRetries() {
        var task = new Failing(Parent::new);
        var thrown = assertThrows(Parent.class, () -> Retry.none().call(task, recordingSleeper, new SplittableRandom(1)));
        assertEquals(1, task.attempts());
        assertSame(task.last(), thrown);
        assertTrue(Retry.none().rules().isEmpty());
        assertNull(Retry.none().start(new SplittableRandom(1)).onFailure(new RuntimeException()));
    }

    @Test
    void aFailureNoRuleMatchesPropagatesUnchangedAfterOneAttempt() {
        var retry = Retry.of(RetryRule.fixed(IOException.class, Duration.ZERO));
        var task = new Failing(IllegalStateException::new);
        var thrown = assertThrows(IllegalStateException.class, () -> retry.call(task, recordingSleeper, new SplittableRandom(1)));
        assertEquals(1, task.attempts());
        assertSame(task.last(), thrown);
    }

    @Test
    void errorsPropagateUnchangedAndAreRetriedOnlyByARuleThatNamesThem() {
        var byException = Retry.of(RetryRule.fixed(Exception.class, Duration.ZERO));
        var task = new Failing(Fatal::new);
        var thrown = assertThrows(Fatal.class, () -> byException.call(task, NO_SLEEP, new SplittableRandom(1)));
        assertEquals(1, task.attempts());
        assertSame(task.last(), thrown);

        var byError = Retry.of(RetryRule.fixed(Fatal.class, Duration.ZERO).retries(2));
        var again = new Failing(Fatal::new);
        assertThrows(Fatal.class, () -> byError.call(again, NO_SLEEP, new SplittableRandom(1)));
        assertEquals(3, again.attempts());
    }

    @Test
    void anInterruptedSleeperStopsTheLoopRestoresTheInterruptFlagAndKeepsTheFailure() {
        var retry = Retry.of(RetryRule.fixed(IOException.class, Duration.ofSeconds(1)));
        var interruption = new InterruptedException("stop");
        var task = new Failing(IOException::new);
        var thrown = assertThrows(InterruptedException.class, () -> retry.call(task, duration -> {
            throw interruption;
        }, new SplittableRandom(1)));
        boolean flagRestored = Thread.interrupted(); // also clears it
        assertTrue(flagRestored, "interrupt flag restored");
        assertSame(interruption, thrown);
        assertEquals(1, task.attempts());
        assertArrayEquals(new Throwable[] {task.last()}, thrown.getSuppressed());
    }

    @Test
    void theStandaloneCallSleepsForRealAndStopsAtOnceWhenTheThreadIsInterrupted() throws Exception {
        var noWait = Retry.of(RetryRule.fixed(IOException.class, Duration.ZERO).retries(2));
        var flaky = new Failing(IOException::new).succeedingAfter(2, "ok");
        assertEquals("ok", noWait.call(flaky));
        assertEquals(3, flaky.attempts());

        var anHour = Retry.of(RetryRule.fixed(IOException.class, Duration.ofHours(1)));
        var task = new Failing(IOException::new);
        Thread.currentThread().interrupt(); // Thread.sleep throws at once instead of waiting an hour
        var thrown = assertThrows(InterruptedException.class, () -> anHour.call(task));
        assertTrue(Thread.interrupted(), "interrupt flag restored");
        assertEquals(1, task.attempts());
        assertSame(task.last(), thrown.getSuppressed()[0]);
    }

    @Test
    void anInterruptedExceptionFromTheTaskIsNeverRetriedEvenIfARuleMatchesIt() {
        var retry = Retry.of(RetryRule.fixed(Exception.class, Duration.ZERO));
        var task = new Failing(InterruptedException::new);
        var thrown = assertThrows(InterruptedException.class, () -> retry.call(task, NO_SLEEP, new SplittableRandom(1)));
        assertEquals(1, task.attempts());
        assertSame(task.last(), thrown);
    }

    @Test
    void theListenerIsToldOfEachRetryWithItsRuleNumberWaitAndRetriesLeft() {
        var rule = RetryRule.fixed(IOException.class, Duration.ofMillis(5)).retries(3);
        var retry = Retry.of(rule).listener(events::add);
        var task = new Failing(IOException::new);
        assertThrows(IOException.class, () -> retry.call(task, NO_SLEEP, new SplittableRandom(1)));
        assertEquals(3, events.size());
        for (int i = 0; i < 3; i++) {
            RetryEvent event = events.get(i);
            assertSame(rule, event.rule());
            assertSame(task.failures.get(i), event.failure());
            assertEquals(i + 1, event.retry());
            assertEquals(Duration.ofMillis(5), event.waitTime());
            assertEquals(2 - i, event.retriesLeft());
        }
    }

    @Test
    void aNewListenerReplacesTheOldOneAndLeavesTheOriginalRetryUntouched() {
        var told = new ArrayList<String>();
        var silent = Retry.of(parentOnce);
        var retry = silent.listener(event -> told.add("first")).listener(event -> told.add("second"));
        assertThrows(Parent.class, () -> retry.call(new Failing(Parent::new), NO_SLEEP, new SplittableRandom(1)));
        assertThrows(Parent.class, () -> silent.call(new Failing(Parent::new), NO_SLEEP, new SplittableRandom(1)));
        assertEquals(List.of("second"), told);
    }

    @Test
    void aThrowingListenerEndsTheCallWithTheFailureAttachedAsSuppressed() {
        var broken = new IllegalStateException("listener bug");
        var retry = Retry.of(parentOnce).listener(event -> {
            throw broken;
        });
        var task = new Failing(Parent::new);
        var thrown = assertThrows(IllegalStateException.class, () -> retry.call(task, NO_SLEEP, new SplittableRandom(1)));
        assertSame(broken, thrown);
        assertEquals(1, task.attempts());
        assertArrayEquals(new Throwable[] {task.last()}, thrown.getSuppressed());
    }

    @Test
    void eachCallStartsWithEveryRuleFullBudget() {
        var retry = Retry.of(parentOnce.retries(2));
        for (int call = 0; call < 3; call++) {
            var task = new Failing(Parent::new);
            assertThrows(Parent.class, () -> retry.call(task, NO_SLEEP, new SplittableRandom(1)));
            assertEquals(3, task.attempts(), "call " + call);
        }
    }

    @Test
    void aStateCountsTheRetriesItGrantedAndAnswersNullOnceEveryBudgetIsSpent() {
        RetryState state = Retry.of(parentOnce, childOnce).start(new SplittableRandom(1));
        assertEquals(0, state.retries());
        assertEquals(Duration.ofSeconds(1), state.onFailure(new Child()));
        assertEquals(Duration.ofSeconds(2), state.onFailure(new Child()));
        assertEquals(2, state.retries());
        assertNull(state.onFailure(new Child()));
        assertNull(state.onFailure(new Parent()));
        assertEquals(2, state.retries());
    }

    @Test
    void aZeroBudgetRuleIsPassedOverForTheNextMatchingRule() {
        var never = RetryRule.fixed(Parent.class, Duration.ofSeconds(9)).retries(0);
        RetryState state = Retry.of(never, childOnce).start(new SplittableRandom(1));
        assertEquals(Duration.ofSeconds(2), state.onFailure(new Child()));
        assertNull(state.onFailure(new Parent()));
    }

    @Test
    void oneRetryServesConcurrentCallsOnVirtualThreadsEachWithItsOwnBudget() throws Exception {
        var retry = Retry.of(RetryRule.exponentialAndJitter(IOException.class).retries(3));
        List<Failing> tasks = new ArrayList<>();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Object>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                var task = new Failing(IOException::new);
                tasks.add(task);
                Callable<Object> call = () -> retry.call(task, NO_SLEEP, new SplittableRandom());
                results.add(executor.submit(call));
            }
            for (Future<Object> result : results) {
                var failed = assertThrows(ExecutionException.class, result::get);
                assertInstanceOf(IOException.class, failed.getCause());
            }
        }
        for (Failing task : tasks) {
            assertEquals(4, task.attempts());
        }
    }

    @Test
    void retryRejectsNoRulesAndNullRulesNamingTheIndex() {
        var empty = assertThrows(IllegalArgumentException.class, () -> Retry.of());
        assertEquals("rules must not be empty; use Retry.none() to never retry", empty.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Retry.of(List.of()));
        var nullRule = assertThrows(NullPointerException.class, () -> Retry.of(parentOnce, null));
        assertEquals("rules[1] must not be null", nullRule.getMessage());
    }

    @Test
    void retryCopiesItsRulesAndHandsThemOutUnmodifiable() {
        var rules = new ArrayList<RetryRule<?>>(Arrays.asList(parentOnce));
        var retry = Retry.of(rules);
        rules.add(childOnce);
        assertEquals(List.of(parentOnce), retry.rules());
        assertThrows(UnsupportedOperationException.class, () -> retry.rules().clear());
    }

    private void assertRulesThatRetried(RetryRule<?>... expected) {
        assertEquals(List.of(expected), events.stream().map(RetryEvent::rule).toList());
    }

    /** A task that fails with a fresh exception each attempt, optionally succeeding after some failures. */
    private static final class Failing implements Callable<Object> {
        private final Supplier<? extends Throwable> failure;
        private final List<Throwable> failures = new ArrayList<>();
        private final AtomicInteger attempts = new AtomicInteger();
        private int failuresBeforeSuccess = Integer.MAX_VALUE;
        private Object result = "unused";

        Failing(Supplier<? extends Throwable> failure) {
            this.failure = failure;
        }

        Failing succeedingAfter(int failures, Object result) {
            this.failuresBeforeSuccess = failures;
            this.result = result;
            return this;
        }

        @Override
        public Object call() throws Exception {
            if (attempts.incrementAndGet() > failuresBeforeSuccess) {
                return result;
            }
            Throwable next = failure.get();
            failures.add(next);
            switch (next) {
                case Exception e -> throw e;
                case Error e -> throw e;
                default -> throw new AssertionError(next);
            }
        }

        int attempts() {
            return attempts.get();
        }

        Throwable last() {
            return failures.getLast();
        }
    }
}
