package dev.exmachina.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.exmachina.core.AttemptTimeoutException;
import dev.exmachina.core.BotEvent;
import dev.exmachina.core.CallTimeoutException;
import dev.exmachina.core.ConcurrentGroup;
import dev.exmachina.core.EmitOptions;
import dev.exmachina.core.Execute;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.Forked;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.core.GroupWaitTimeoutException;
import dev.exmachina.core.Machina;
import dev.exmachina.retry.Retry;
import dev.exmachina.retry.RetryRule;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Time limits of executes on the virtual clock: the attempt timeout, the bound on waiting for
 * groups, the bound on a whole call, and retry waits taken from the failure. Every instant is exact.
 */
@ExtendWith(VirtualClockExtension.class)
class TimeLimitsTest {

    /** Runs {@code body} once in an emit of {@code bot} and returns what it threw, or null. */
    private static @Nullable Throwable runOnce(Machina bot, ThrowingRunnable body) throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        bot.emit("main-" + System.nanoTime(), EmitOptions.defaults().count(1), event -> {
            try {
                body.run();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        bot.run();
        return thrown.get();
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    /**
     * Tests that an attempt still running at its deadline is interrupted and fails with an
     * {@link AttemptTimeoutException} naming the execute, the attempt and the limit, exactly at the
     * deadline, and gives its slot back.
     */
    @Test
    void attemptTimeoutInterruptsAtTheDeadline(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        ConcurrentGroup api = bot.concurrentGroup("api", GroupLimits.concurrency(1));
        Execute<Integer, Integer> slow = bot.execute("slow",
                ExecuteOptions.groups("api").attemptTimeout(Duration.ofSeconds(2)), i -> {
                    clock.sleep(Duration.ofSeconds(10));
                    return i;
                });

        Throwable thrown = runOnce(bot, () -> slow.call(1));

        var timeout = assertInstanceOf(AttemptTimeoutException.class, thrown);
        assertEquals("slow", timeout.execute());
        assertEquals(1, timeout.attempt());
        assertEquals(Duration.ofSeconds(2), timeout.timeout());
        assertInstanceOf(InterruptedException.class, timeout.getCause());
        assertTrue(timeout.getMessage().contains("attempt 1 of execute 'slow' timed out after PT2S"), timeout.getMessage());
        assertEquals(Duration.ofSeconds(2), clock.elapsed());
        assertEquals(0, api.inFlight());
        assertEquals(0, api.waiting());
    }

    /** Tests that a retry rule matches an attempt timeout like any failure: attempts at 0, 3 and 6 s, the third succeeds. */
    @Test
    void attemptTimeoutIsRetriedByARule(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        List<Long> attempts = new ArrayList<>();
        Execute<Integer, Integer> flaky = bot.execute("flaky", ExecuteOptions.defaults()
                .attemptTimeout(Duration.ofSeconds(2))
                .retry(Retry.of(RetryRule.fixed(AttemptTimeoutException.class, Duration.ofSeconds(1)).retries(5))), i -> {
                    attempts.add(clock.elapsed().toMillis());
                    if (attempts.size() < 3) {
                        clock.sleep(Duration.ofHours(1));
                    }
                    return i * 10;
                });
        List<Integer> results = new ArrayList<>();

        assertEquals(null, runOnce(bot, () -> results.add(flaky.call(4))));

        assertEquals(List.of(0L, 3000L, 6000L), attempts);
        assertEquals(List.of(40), results);
    }

    /**
     * Tests that an attempt ending just before its deadline leaves no stray interrupt: 500 calls
     * each ending 1 ns before the deadline, each followed by a sleep that must not be interrupted.
     */
    @Test
    void anAttemptEndingBeforeItsDeadlineLeavesNoInterrupt(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        Execute<Integer, Integer> close = bot.execute("close-call",
                ExecuteOptions.defaults().attemptTimeout(Duration.ofMillis(100)), i -> {
                    clock.sleep(Duration.ofMillis(100).minusNanos(1));
                    return i;
                });
        AtomicInteger done = new AtomicInteger();
        assertEquals(null, runOnce(bot, () -> {
            for (int i = 0; i < 500; i++) {
                close.call(i);
                assertFalse(Thread.currentThread().isInterrupted());
                clock.sleep(Duration.ofMillis(1));
                done.incrementAndGet();
            }
        }));
        assertEquals(500, done.get());
    }

    /**
     * Tests that a handler that ignores the interrupt keeps its slot until it returns, its attempt
     * still fails with a timeout, and the overrun is reported once (logged at WARN) with how long it overran.
     */
    @Test
    void aHandlerIgnoringTheInterruptKeepsItsSlotAndIsReportedOnce(VirtualClock clock) throws Exception {
        var events = new RecordedEvents();
        var bot = Machina.builder().clock(clock).listener(events).build();
        bot.concurrentGroup("one", GroupLimits.concurrency(1));
        Execute<Integer, Integer> stubborn = bot.execute("stubborn-overrun",
                ExecuteOptions.groups("one").attemptTimeout(Duration.ofSeconds(1)), i -> {
                    try {
                        clock.sleep(Duration.ofSeconds(5));
                    } catch (InterruptedException ignored) {
                        clock.sleep(Duration.ofMillis(2_500)); // goes on regardless
                    }
                    return i;
                });
        List<Long> otherStarted = Collections.synchronizedList(new ArrayList<>());
        Execute<Integer, Integer> other = bot.execute("other", ExecuteOptions.groups("one"), i -> {
            otherStarted.add(clock.elapsed().toMillis());
            return i;
        });
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        bot.emit("main", EmitOptions.defaults().count(1), event -> {
            Forked<Integer> first = event.execute(stubborn, 1);
            event.sleep(Duration.ofMillis(10));
            Forked<Integer> second = event.execute(other, 2);
            try {
                first.join();
            } catch (Exception e) {
                thrown.set(e);
            }
            second.join();
        });
        bot.run();

        assertInstanceOf(AttemptTimeoutException.class, thrown.get());
        assertEquals(List.of(3_500L), otherStarted, "the slot was held until the handler returned");
        assertEquals(List.of(new BotEvent.AttemptOverran(bot.name(), "stubborn-overrun", 1, Duration.ofSeconds(1),
                Duration.ofMillis(2_500))), events.of(BotEvent.AttemptOverran.class));
    }

    /** Tests that a cancel is not a timeout: a cancelled call whose rule retries timeouts is never retried. */
    @Test
    void aCancelIsNotATimeoutAndIsNeverRetried(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        List<Long> attempts = Collections.synchronizedList(new ArrayList<>());
        Execute<Integer, Integer> work = bot.execute("work", ExecuteOptions.defaults()
                .attemptTimeout(Duration.ofSeconds(5))
                .retry(Retry.of(RetryRule.fixed(Exception.class, Duration.ofSeconds(1)))), i -> {
                    attempts.add(clock.elapsed().toMillis());
                    clock.sleep(Duration.ofHours(1));
                    return i;
                });
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        bot.emit("main", EmitOptions.defaults().count(1), event -> {
            Forked<Integer> forked = event.execute(work, 1);
            event.sleep(Duration.ofSeconds(2));
            forked.cancel();
            try {
                forked.join();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        bot.run();

        assertInstanceOf(CancellationException.class, thrown.get());
        assertEquals(List.of(0L), attempts);
        assertEquals(Duration.ofSeconds(2), clock.elapsed());
    }

    /**
     * Tests that {@code maxWait} bounds the wait for a slot: the waiter fails at exactly 2 s with a
     * {@link GroupWaitTimeoutException} naming the group and the wait, and leaves no place in the
     * queue (a later waiter gets the slot when it frees).
     */
    @Test
    void maxWaitBoundsTheWaitForASlot(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        ConcurrentGroup api = bot.concurrentGroup("api", GroupLimits.concurrency(1));
        Execute<Integer, Integer> holder = bot.execute("holder", ExecuteOptions.groups("api"), i -> {
            clock.sleep(Duration.ofSeconds(10));
            return i;
        });
        List<Long> started = Collections.synchronizedList(new ArrayList<>());
        Execute<Integer, Integer> impatient = bot.execute("impatient",
                ExecuteOptions.groups("api").maxWait(Duration.ofSeconds(2)), i -> {
                    started.add(clock.elapsed().toMillis());
                    return i;
                });
        Execute<Integer, Integer> patient = bot.execute("patient", ExecuteOptions.groups("api"), i -> {
            started.add(clock.elapsed().toMillis());
            return i;
        });
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        List<String> seen = new ArrayList<>();
        bot.emit("main", EmitOptions.defaults().count(1), event -> {
            event.execute(holder, 0);
            event.sleep(Duration.ofMillis(1));
            Forked<Integer> waiter = event.execute(impatient, 1);
            event.sleep(Duration.ofMillis(1));
            Forked<Integer> next = event.execute(patient, 2);
            try {
                waiter.join();
            } catch (Throwable t) {
                thrown.set(t);
                seen.add(clock.elapsed().toMillis() + " ms, waiting=" + api.waiting());
            }
            next.join();
        });
        bot.run();

        var timeout = assertInstanceOf(GroupWaitTimeoutException.class, thrown.get());
        assertEquals("impatient", timeout.execute());
        assertEquals("api", timeout.group());
        assertEquals(Duration.ofSeconds(2), timeout.waited());
        assertEquals(Duration.ofSeconds(2), timeout.maxWait());
        assertTrue(timeout.getMessage().contains("waited PT2S for concurrent group 'api' (max wait PT2S)"), timeout.getMessage());
        assertEquals(List.of("2001 ms, waiting=1"), seen);
        assertEquals(List.of(10_000L), started, "only the patient call started, when the slot freed");
    }

    /**
     * Tests that {@code maxWait} bounds the wait for a window start: a start the window would give only
     * in 10 s fails at once (no point waiting), and its reservation is given back, so the next call
     * starts at 10 s, not 20 s.
     */
    @Test
    void maxWaitFailsAtOnceWhenTheWindowStartIsBeyondIt(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        bot.concurrentGroup("w", GroupLimits.unlimited().perWindow(1, Duration.ofSeconds(10)));
        List<Long> started = Collections.synchronizedList(new ArrayList<>());
        Execute<Integer, Integer> call = bot.execute("call", ExecuteOptions.groups("w"), i -> {
            started.add(clock.elapsed().toMillis());
            return i;
        });
        Execute<Integer, Integer> quick = bot.execute("quick", ExecuteOptions.groups("w").maxWait(Duration.ofSeconds(2)), i -> {
            started.add(-1L);
            return i;
        });
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        List<Long> failedAt = new ArrayList<>();
        assertEquals(null, runOnce(bot, () -> {
            call.call(0);
            try {
                quick.call(1);
            } catch (GroupWaitTimeoutException e) {
                thrown.set(e);
                failedAt.add(clock.elapsed().toMillis());
            }
            call.call(2);
        }));

        var timeout = assertInstanceOf(GroupWaitTimeoutException.class, thrown.get());
        assertEquals("w", timeout.group());
        assertEquals(Duration.ZERO, timeout.waited());
        assertTrue(timeout.getMessage().contains("its window would start it only PT10S from now"), timeout.getMessage());
        assertEquals(List.of(0L), failedAt);
        assertEquals(List.of(0L, 10_000L), started);
    }

    /**
     * Tests that a call timeout bounds attempts and retry waits together: attempts at 0, 1.5 and 3 s
     * fail after 0.5 s; the next retry would start at 4.5 s, past the 4 s limit, so the call fails
     * at 3.5 s with a {@link CallTimeoutException} whose cause is the last failure.
     */
    @Test
    void callTimeoutFailsWhenTheNextRetryWouldEndPastIt(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        List<Long> attempts = new ArrayList<>();
        Execute<Integer, Integer> down = bot.execute("down", ExecuteOptions.defaults()
                .callTimeout(Duration.ofSeconds(4))
                .retry(Retry.of(RetryRule.fixed(IOException.class, Duration.ofSeconds(1)))), i -> {
                    attempts.add(clock.elapsed().toMillis());
                    clock.sleep(Duration.ofMillis(500));
                    throw new IOException("down");
                });

        Throwable thrown = runOnce(bot, () -> down.call(1));

        var timeout = assertInstanceOf(CallTimeoutException.class, thrown);
        assertEquals("down", timeout.execute());
        assertEquals(3, timeout.attempts());
        assertEquals(Duration.ofSeconds(4), timeout.timeout());
        assertInstanceOf(IOException.class, timeout.getCause());
        assertEquals(List.of(0L, 1500L, 3000L), attempts);
        assertEquals(Duration.ofMillis(3500), clock.elapsed());
    }

    /**
     * Tests that a call timeout interrupts a running attempt at the call's deadline and is never
     * retried, whatever the rules: attempt 1 times out at 2 s, attempt 2 starts at 2.5 s and is
     * interrupted at the call's 4 s deadline (before its own at 4.5 s).
     */
    @Test
    void callTimeoutInterruptsTheRunningAttemptAndIsNeverRetried(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        List<Long> attempts = new ArrayList<>();
        Execute<Integer, Integer> hangs = bot.execute("hangs", ExecuteOptions.defaults()
                .attemptTimeout(Duration.ofSeconds(2))
                .callTimeout(Duration.ofSeconds(4))
                .retry(Retry.of(RetryRule.fixed(Exception.class, Duration.ofMillis(500)))), i -> {
                    attempts.add(clock.elapsed().toMillis());
                    clock.sleep(Duration.ofHours(1));
                    return i;
                });

        Throwable thrown = runOnce(bot, () -> hangs.call(1));

        var timeout = assertInstanceOf(CallTimeoutException.class, thrown);
        assertEquals(2, timeout.attempts());
        assertEquals(Duration.ofSeconds(4), timeout.timeout());
        assertInstanceOf(InterruptedException.class, timeout.getCause());
        assertEquals(List.of(0L, 2500L), attempts);
        assertEquals(Duration.ofSeconds(4), clock.elapsed());
    }

    /** Tests that a call timeout bounds the wait for a slot too: the call fails at its deadline, holding nothing. */
    @Test
    void callTimeoutBoundsTheWaitForGroups(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        ConcurrentGroup api = bot.concurrentGroup("api", GroupLimits.concurrency(1));
        Execute<Integer, Integer> holder = bot.execute("holder", ExecuteOptions.groups("api"), i -> {
            clock.sleep(Duration.ofSeconds(10));
            return i;
        });
        Execute<Integer, Integer> bounded = bot.execute("bounded",
                ExecuteOptions.groups("api").callTimeout(Duration.ofSeconds(3)), i -> i);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        List<String> seen = new ArrayList<>();
        bot.emit("main", EmitOptions.defaults().count(1), event -> {
            event.execute(holder, 0);
            event.sleep(Duration.ofMillis(1));
            try {
                bounded.call(1);
            } catch (Throwable t) {
                thrown.set(t);
                seen.add(clock.elapsed().toMillis() + " ms, waiting=" + api.waiting() + ", inFlight=" + api.inFlight());
            }
        });
        bot.run();

        var timeout = assertInstanceOf(CallTimeoutException.class, thrown.get());
        assertEquals(0, timeout.attempts());
        assertTrue(timeout.getMessage().contains("waited PT3S for concurrent group 'api'"), timeout.getMessage());
        assertEquals(List.of("3001 ms, waiting=0, inFlight=1"), seen);
    }

    /** An HTTP failure that may carry the server's Retry-After. */
    static final class HttpFailure extends IOException {
        private static final long serialVersionUID = 1L;
        final @Nullable Duration retryAfter;

        HttpFailure(int status, @Nullable Duration retryAfter) {
            super("HTTP " + status);
            this.retryAfter = retryAfter;
        }

        @Nullable Duration retryAfter() {
            return retryAfter;
        }
    }

    /**
     * Tests that an execute's retry waits come from the failure's Retry-After, and from the backoff
     * when it has none: a 429 asking 7 s, then a 503 without one (backoff 100 ms), then success.
     */
    @Test
    void retryWaitsComeFromTheFailureWithTheBackoffAsFallback(VirtualClock clock) throws Exception {
        var bot = Machina.builder().clock(clock).build();
        List<Long> attempts = new ArrayList<>();
        Execute<Integer, Integer> api = bot.execute("api", ExecuteOptions.defaults().retry(Retry.of(
                RetryRule.fixed(HttpFailure.class, Duration.ofMillis(100)).waitFrom(HttpFailure::retryAfter).retries(5))), i -> {
                    attempts.add(clock.elapsed().toMillis());
                    switch (attempts.size()) {
                        case 1 -> throw new HttpFailure(429, Duration.ofSeconds(7));
                        case 2 -> throw new HttpFailure(503, null);
                        default -> {
                            return i;
                        }
                    }
                });

        assertEquals(null, runOnce(bot, () -> api.call(1)));

        assertEquals(List.of(0L, 7000L, 7100L), attempts);
    }

    /** Tests that the options refuse bad limits, naming them, and keep the 0.1 constructor. */
    @Test
    void badLimitsAreRefusedClearly() {
        var zero = assertThrows(IllegalArgumentException.class, () -> ExecuteOptions.defaults().attemptTimeout(Duration.ZERO));
        assertTrue(zero.getMessage().contains("attemptTimeout must be > 0, was PT0S"), zero.getMessage());
        var negative = assertThrows(IllegalArgumentException.class, () -> ExecuteOptions.defaults().maxWait(Duration.ofSeconds(-1)));
        assertTrue(negative.getMessage().contains("maxWait must be >= 0"), negative.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ExecuteOptions.defaults().callTimeout(Duration.ofNanos(-1)));
        var old = new ExecuteOptions(List.of("a"), Retry.none());
        assertEquals(null, old.attemptTimeout());
        assertFalse(old.hasTimeLimits());
    }
}
