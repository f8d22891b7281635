package dev.exmachina.core;

import dev.exmachina.core.internal.SystemClock;
import dev.exmachina.core.internal.Waits;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadFactory;
import java.util.random.RandomGenerator;

/**
 * The clock a bot reads time from and waits on: the one place where core blocks.
 *
 * <p><b>Concurrency.</b> Implementations are thread-safe. {@link #park} is called by the thread that
 * waits; {@link #unpark} and {@link #interrupt} by any thread.
 *
 * <p>Core never sleeps, parks or joins except through this interface, and creates every thread it
 * runs handlers on with {@link #threadFactory}. So an implementation sees every thread of a bot and
 * every wait, which lets a virtual clock (module {@code exmachina-testkit}) know when all bot
 * threads are blocked and jump to the next deadline. {@link #system()} is the real clock.
 *
 * <p>{@code park}/{@code unpark} follow {@link java.util.concurrent.locks.LockSupport}: park may
 * return early or spuriously, so every caller waits in a loop on its own condition, and an unpark
 * that comes before the park makes that park return at once.
 */
public interface BotClock {

    /** A deadline for {@link #park} meaning "no deadline". */
    long NO_DEADLINE = Long.MAX_VALUE;

    /** The real clock: {@link System#nanoTime()}, {@link Instant#now()}, real parking, virtual threads. */
    static BotClock system() {
        return SystemClock.INSTANCE;
    }

    /** Monotonic time in nanoseconds, the time base of {@link #park} deadlines. */
    long nanoTime();

    /** The current instant, for logs and {@link Event#now()}. */
    Instant instant();

    /** A factory of the threads a bot runs its emits and forked executes on, named {@code name-N}. */
    ThreadFactory threadFactory(String name);

    /**
     * Blocks the current thread until {@link #unpark} is called for it, {@code deadlineNanos}
     * ({@link #nanoTime()} base, {@link #NO_DEADLINE} for none) passes, it is interrupted, or
     * spuriously.
     *
     * @param blocker what the thread waits for, for diagnostics; a {@link WaitReason} tells more
     */
    void park(Object blocker, long deadlineNanos);

    /** Makes {@code thread}'s current or next {@link #park} return. */
    void unpark(Thread thread);

    /** Interrupts {@code thread} and makes its current {@link #park} return. */
    void interrupt(Thread thread);

    /**
     * Waits {@code duration} on this clock: what a handler uses instead of {@link Thread#sleep}, so
     * that a virtual clock sees the wait.
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    default void sleep(Duration duration) throws InterruptedException {
        long deadline = Waits.deadline(nanoTime(), duration);
        Waits.sleepUntil(this, "sleep " + duration, deadline);
    }

    /** The source of randomness for retry waits: a virtual clock makes it reproducible. */
    RandomGenerator random();

    /**
     * Why a thread parks, passed as the blocker: {@code repeatsForever} marks the interval wait of an
     * emit without a count, which a virtual clock may treat as periodic work.
     */
    record WaitReason(String description, boolean repeatsForever) {
        @Override
        public String toString() {
            return description;
        }
    }
}
