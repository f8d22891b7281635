package dev.exmachina.core.internal.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.exmachina.core.BotClock;
import dev.exmachina.core.BotEvent;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.core.internal.runtime.BotRuntime;
import dev.exmachina.core.internal.group.GroupImpl;
import dev.exmachina.core.internal.group.Permits;
import dev.exmachina.core.internal.observe.Observer;
import dev.exmachina.retry.Retry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A fork's cancellation when the bot's cancel reaches the fork's thread before the fork's own
 * {@code cancel()} does, forced in that order: the waiter is woken and finds its bot cancelled,
 * ends, and only then its {@code cancel()} comes (what {@code close()} does when a fork's thread
 * runs between the emit's cancel and the fork's).
 */
class ForkedCancellationTest {

    private final BotClock clock = BotClock.system();
    private final AtomicBoolean botCancelled = new AtomicBoolean();
    private final List<String> unjoined = Collections.synchronizedList(new ArrayList<>());
    private final Observer observer = new Observer() {
        @Override
        public String bot() {
            return "test";
        }

        @Override
        public void on(BotEvent event) {
            if (event instanceof BotEvent.UnjoinedFailure e) {
                unjoined.add(e.execute() + " <- " + e.failure());
            }
        }
    };

    private final BotRuntime runtime = new BotRuntime() {
        @Override
        public String botName() {
            return "test";
        }

        @Override
        public BotClock clock() {
            return clock;
        }

        @Override
        public Observer observer() {
            return observer;
        }

        @Override
        public boolean cancelled(Thread thread) {
            return botCancelled.get();
        }
    };

    /**
     * Tests that a waiter the bot cancelled is never reported as a failure nobody joined, though
     * it ended with the cancel's {@link CancellationException} before its own {@code cancel()}
     * came; joined, it says it was cancelled. Fault F13 ({@code close()} logged such waiters at
     * ERROR, a few in a thousand).
     */
    @Test
    void aWaiterTheBotCancelledIsNeverReportedAsAFailure() throws Exception {
        GroupImpl group = new GroupImpl("api", 0, GroupLimits.concurrency(1));
        CountDownLatch release = new CountDownLatch(1);
        var execute = new ExecuteImpl<Integer, Integer>(runtime, "call", i -> {
            if (i == 0) {
                release.await();
            }
            return i;
        }, Permits.of(List.of(group)), Retry.none());
        Thread holder = Thread.ofVirtual().start(() -> call(execute));
        while (group.inFlight() == 0) {
            Thread.sleep(1);
        }
        ForkedImpl<Integer> fork = new ForkedImpl<>("call", "load", clock, observer, runtime::cancelled);
        Thread waiter = Thread.ofVirtual().start(() -> fork.run(() -> execute.call(1, fork), () -> {}));
        while (group.waiting() == 0) {
            Thread.sleep(1);
        }

        botCancelled.set(true); // the emit is cancelled: the fork's own cancel() is yet to come
        release.countDown(); // the slot goes to the waiter, which wakes and finds its bot cancelled
        waiter.join();
        holder.join();
        fork.cancel(); // comes late: the fork is done
        fork.iterationEnded();

        assertEquals(List.of(), unjoined);
        assertTrue(fork.isCancelled());
        CancellationException thrown = assertThrows(CancellationException.class, fork::join);
        assertInstanceOf(CancellationException.class, thrown.getCause());
        assertEquals(0, group.inFlight());
        assertEquals(0, group.waiting());
    }

    /** Tests that a fork's own failure, with nothing cancelled, is still reported once when nobody joins it. */
    @Test
    void aForkThatFailsOnItsOwnIsReportedOnceWhenNobodyJoinsIt() throws Exception {
        var execute = new ExecuteImpl<Integer, Integer>(runtime, "call", i -> {
            throw new IOException("down");
        }, Permits.of(List.of()), Retry.none());
        ForkedImpl<Integer> fork = new ForkedImpl<>("call", "load", clock, observer, runtime::cancelled);

        Thread forked = Thread.ofVirtual().start(() -> fork.run(() -> execute.call(1, fork), () -> {}));
        forked.join();
        fork.iterationEnded();

        assertEquals(List.of("call <- java.io.IOException: down"), unjoined);
    }

    private static void call(ExecuteImpl<Integer, Integer> execute) {
        try {
            execute.call(0);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
