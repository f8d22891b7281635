package dev.exmachina.core.internal.clock;

import dev.exmachina.core.BotClock;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.random.RandomGenerator;

/**
 * The real clock. The only class of core that parks a thread directly: it is the clock SPI's real
 * implementation, so every other wait in core goes through it.
 *
 * <p>Timers share one daemon platform thread ({@code exmachina-timer}), made on the first
 * {@link #schedule}: a {@link ScheduledThreadPoolExecutor} with remove-on-cancel, so a cancelled
 * timeout leaves nothing queued. Actions are short (an interrupt, an unpark), so one thread serves
 * every bot of the JVM.
 */
public final class SystemClock implements BotClock {

    public static final SystemClock INSTANCE = new SystemClock();

    /** A timer's state moves once, from PENDING to RUN or to CANCELLED, by compare-and-set. */
    private static final int PENDING = 0;
    private static final int RUN = 1;
    private static final int CANCELLED = 2;

    private SystemClock() {}

    /** Made on first use, so a bot that never schedules starts no thread. */
    private static final class Scheduler {
        static final ScheduledThreadPoolExecutor EXECUTOR = create();

        private static ScheduledThreadPoolExecutor create() {
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1,
                    Thread.ofPlatform().daemon().name("exmachina-timer").factory());
            executor.setRemoveOnCancelPolicy(true);
            executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            return executor;
        }
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Instant instant() {
        return Instant.now();
    }

    @Override
    public ThreadFactory threadFactory(String name) {
        return Thread.ofVirtual().name(name + "-", 1).factory();
    }

    @Override
    public void park(Object blocker, long deadlineNanos) {
        if (deadlineNanos == NO_DEADLINE) {
            LockSupport.park(blocker);
        } else {
            long left = deadlineNanos - System.nanoTime();
            if (left > 0) {
                LockSupport.parkNanos(blocker, left);
            }
        }
    }

    @Override
    public Timer schedule(Runnable action, long deadlineNanos) {
        Objects.requireNonNull(action, "action");
        if (deadlineNanos == NO_DEADLINE) {
            throw new IllegalArgumentException("a timer needs a deadline, was BotClock.NO_DEADLINE");
        }
        long delay = Math.max(0, deadlineNanos - System.nanoTime());
        // The state, not the future, says whether the action ran: ScheduledFuture.cancel returns true
        // for a task whose action is still running, and Timer.cancel must then return false.
        AtomicInteger state = new AtomicInteger(PENDING);
        ScheduledFuture<?> scheduled = Scheduler.EXECUTOR.schedule(() -> {
            if (state.compareAndSet(PENDING, RUN)) {
                TimerActions.run(action);
            }
        }, delay, TimeUnit.NANOSECONDS);
        return () -> {
            if (state.compareAndSet(PENDING, CANCELLED)) {
                scheduled.cancel(false); // removed from the queue (remove-on-cancel)
                return true;
            }
            return false;
        };
    }

    @Override
    public void unpark(Thread thread) {
        LockSupport.unpark(thread);
    }

    @Override
    public void interrupt(Thread thread) {
        thread.interrupt();
    }

    @Override
    public RandomGenerator random() {
        return ThreadLocalRandom.current();
    }

    @Override
    public String toString() {
        return "BotClock.system()";
    }
}
