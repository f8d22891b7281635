package dev.exmachina.core.internal.clock;

import dev.exmachina.core.BotClock;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The default {@link BotClock#schedule}: a thread of the clock's factory waits on the clock for the
 * deadline, then runs the action. Works on any clock, at the cost of a (virtual) thread per timer.
 *
 * <p><b>Invariant.</b> {@code state} moves once, from {@code PENDING} to {@code RUN} (the thread
 * claims it at the deadline) or to {@code CANCELLED} (a caller claims it first), by compare-and-set:
 * the action runs at most once, and never after {@link #cancel()} returned true.
 */
final class ThreadTimer implements BotClock.Timer {

    private static final int PENDING = 0;
    private static final int RUN = 1;
    private static final int CANCELLED = 2;

    private final BotClock clock;
    private final AtomicInteger state = new AtomicInteger(PENDING);
    private final Thread thread;

    ThreadTimer(BotClock clock, Runnable action, long deadlineNanos) {
        this.clock = clock;
        Objects.requireNonNull(action, "action");
        if (deadlineNanos == BotClock.NO_DEADLINE) {
            throw new IllegalArgumentException("a timer needs a deadline, was BotClock.NO_DEADLINE");
        }
        this.thread = clock.threadFactory("timer").newThread(() -> {
            Waits.awaitUninterruptibly(clock, "a timer", () -> state.get() != PENDING
                    || clock.nanoTime() - deadlineNanos >= 0, deadlineNanos);
            if (state.compareAndSet(PENDING, RUN)) {
                TimerActions.run(action);
            }
        });
        thread.start();
    }

    @Override
    public boolean cancel() {
        if (state.compareAndSet(PENDING, CANCELLED)) {
            clock.unpark(thread);
            return true;
        }
        return false;
    }
}
