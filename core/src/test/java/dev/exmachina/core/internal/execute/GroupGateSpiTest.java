package dev.exmachina.core.internal.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.BotEvent;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.core.internal.runtime.BotRuntime;
import dev.exmachina.core.internal.group.GroupImpl;
import dev.exmachina.core.internal.group.Permits;
import dev.exmachina.core.internal.observe.Observer;
import dev.exmachina.core.spi.Decision;
import dev.exmachina.core.spi.GroupGate;
import dev.exmachina.retry.Retry;
import dev.exmachina.retry.RetryRule;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The attempt loop against its group gate (the SPI a backend implements): observer events of
 * waits, decisions that fail, and cancellation through a token. Real clock, short waits; the
 * exact timings are tested on the virtual clock in the testkit.
 */
class GroupGateSpiTest {

    private final BotClock clock = BotClock.system();

    private record Runtime(BotClock clock, Observer observer) implements BotRuntime {
        @Override
        public String botName() {
            return "test";
        }

        @Override
        public boolean cancelled(Thread thread) {
            return false;
        }
    }

    private static final class Recorder implements Observer {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final List<Long> waits = Collections.synchronizedList(new ArrayList<>());

        @Override
        public String bot() {
            return "test";
        }

        @Override
        public void on(BotEvent event) {
            if (event instanceof BotEvent.GroupWaited waited) {
                events.add(waited.execute() + " waited for " + waited.waitedFor() + " of " + waited.group());
                waits.add(waited.waited().toNanos());
            }
        }
    }

    /** Tests that an attempt that waited reports what for, and one that did not reports nothing. */
    @Test
    void testsThatEveryActualWaitIsObservedOnce() throws Exception {
        Recorder recorder = new Recorder();
        GroupImpl slots = new GroupImpl("slots", 0, GroupLimits.concurrency(1));
        GroupImpl window = new GroupImpl("window", 1, GroupLimits.unlimited().perWindow(1, Duration.ofMillis(600)));
        var execute = new ExecuteImpl<Integer, Integer>(new Runtime(clock, recorder), "work", i -> {
            clock.sleep(Duration.ofMillis(300));
            return i;
        }, Permits.of(List.of(window, slots)), Retry.none());

        Thread first = Thread.ofVirtual().start(() -> call(execute, 1));
        while (slots.inFlight() == 0) {
            Thread.sleep(1);
        }
        Thread second = Thread.ofVirtual().start(() -> call(execute, 2));
        first.join();
        second.join();

        assertEquals(List.of("work waited for SLOT of slots", "work waited for WINDOW_START of window"), recorder.events);
        assertTrue(recorder.waits.get(0) >= Duration.ofMillis(200).toNanos(), recorder.waits::toString);
        assertTrue(recorder.waits.get(1) > 0, recorder.waits::toString);
    }

    private static void call(ExecuteImpl<Integer, Integer> execute, int argument) {
        try {
            execute.call(argument);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Tests that a decision that fails fails the attempt with that exception, nothing stays held,
     * and the retry rules apply to it as to any failure.
     */
    @Test
    void testsThatAFailedDecisionFailsTheAttemptAndLeaksNothing() {
        RuntimeException down = new IllegalStateException("store unreachable");
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        GroupGate gate = new GroupGate() {
            @Override
            public Decision tryEnter() {
                calls.add("tryEnter");
                return Decision.queued("remote");
            }

            @Override
            public Ticket ticket(Wakeup wakeup) {
                calls.add("ticket");
                return new Ticket() {};
            }

            @Override
            public Decision enter(Ticket ticket) {
                calls.add("enter");
                throw down;
            }

            @Override
            public void cancel(Ticket ticket) {
                calls.add("cancel");
            }

            @Override
            public void started(Decision.StartAt granted) {
                calls.add("started");
            }

            @Override
            public void giveBack(Decision.Granted granted) {
                calls.add("giveBack");
            }

            @Override
            public void release(Decision.Granted granted) {
                calls.add("release");
            }
        };
        AtomicBoolean ran = new AtomicBoolean();
        var execute = new ExecuteImpl<Integer, Integer>(new Runtime(clock, Observer.NONE), "remote", i -> {
            ran.set(true);
            return i;
        }, List.of(), gate, Retry.of(RetryRule.fixed(IllegalStateException.class, Duration.ofMillis(1)).retries(1)));

        AtomicReference<Exception> thrown = new AtomicReference<>();
        try {
            execute.call(1);
        } catch (Exception e) {
            thrown.set(e);
        }

        assertSame(down, thrown.get(), "the backend's failure, unchanged");
        assertFalse(ran.get());
        assertEquals(List.of("tryEnter", "ticket", "enter", "cancel", "tryEnter", "ticket", "enter", "cancel"), calls);
    }

    /** Tests that a release that fails after a successful handler fails the call: never lost. */
    @Test
    void testsThatAFailedReleaseIsNotLost() {
        RuntimeException down = new IllegalStateException("store unreachable");
        GroupGate gate = new GroupGate() {
            @Override
            public Decision tryEnter() {
                return Decision.START_NOW;
            }

            @Override
            public Ticket ticket(Wakeup wakeup) {
                throw new AssertionError();
            }

            @Override
            public Decision enter(Ticket ticket) {
                throw new AssertionError();
            }

            @Override
            public void cancel(Ticket ticket) {}

            @Override
            public void started(Decision.StartAt granted) {}

            @Override
            public void giveBack(Decision.Granted granted) {}

            @Override
            public void release(Decision.Granted granted) {
                throw down;
            }
        };
        var execute = new ExecuteImpl<Integer, Integer>(new Runtime(clock, Observer.NONE), "remote", i -> i, List.of(), gate,
                Retry.none());

        AtomicReference<Exception> thrown = new AtomicReference<>();
        try {
            execute.call(1);
        } catch (Exception e) {
            thrown.set(e);
        }

        assertSame(down, thrown.get());
    }

    /**
     * Tests that a call whose token says cancelled is never retried, even when its handler turns
     * the interrupt into an {@code InterruptedIOException}: what a fork passing itself gets. Fault F11.
     */
    @Test
    void cancelledTokenIsNeverRetried() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        var execute = new ExecuteImpl<Integer, Integer>(new Runtime(clock, Observer.NONE), "fetch", i -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IOException("down");
            }
            try {
                clock.sleep(Duration.ofMinutes(1));
            } catch (InterruptedException e) {
                throw new InterruptedIOException("interrupted while fetching");
            }
            throw new IOException("down");
        }, Permits.of(List.of()), Retry.of(RetryRule.fixed(IOException.class, Duration.ofMillis(10)).retries(20)));
        AtomicBoolean cancelled = new AtomicBoolean();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                execute.call(0, cancelled::get);
            } catch (Exception e) {
                thrown.set(e);
            }
        });
        while (attempts.get() < 2) {
            Thread.sleep(1);
        }

        cancelled.set(true); // what a fork's cancel() does: its flag, then an interrupt
        caller.interrupt();
        caller.join();

        assertEquals(2, attempts.get());
        assertEquals(InterruptedIOException.class, thrown.get().getClass());
    }
}
