package dev.exmachina.core;

import dev.exmachina.core.internal.clock.SystemClock;
import dev.exmachina.core.internal.clock.Waits;
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
 *
 * <p>{@link #schedule} runs a short action at a deadline of this clock (interrupt an attempt that
 * overran, renew a lease, end a bounded wait): on a virtual clock it runs at the exact virtual
 * instant, in (deadline, sequence) order with the clock's other waits, so deadlines are
 * deterministic in tests too.
 */
public interface BotClock {

    /** A deadline for {@link #park} meaning "no deadline". */
    long NO_DEADLINE = Long.MAX_VALUE;

    /**
     * The real clock: {@link System#nanoTime()}, {@link Instant#now()}, real parking, virtual
     * threads.
     *
     * @return the system clock, one instance shared by every bot that uses it
     */
    static BotClock system() {
        return SystemClock.INSTANCE;
    }

    /**
     * Monotonic time in nanoseconds, the time base of {@link #park} deadlines.
     *
     * @return nanoseconds since an origin fixed by this clock: only the difference of two readings
     *     means something
     */
    long nanoTime();

    /**
     * The current instant, for logs and {@link Event#now()}.
     *
     * @return the wall-clock time on this clock (virtual time on a virtual clock)
     */
    Instant instant();

    /**
     * A factory of the threads a bot runs its emits and forked executes on, named {@code name-N}.
     *
     * @param name the prefix of the thread names, for logs and thread dumps
     * @return a factory whose threads are bot threads of this clock: their parks are the waits it
     *     sees
     */
    ThreadFactory threadFactory(String name);

    /**
     * Blocks the current thread until {@link #unpark} is called for it, {@code deadlineNanos}
     * ({@link #nanoTime()} base, {@link #NO_DEADLINE} for none) passes, it is interrupted, or
     * spuriously.
     *
     * @param blocker what the thread waits for, for diagnostics; a {@link WaitReason} tells more
     * @param deadlineNanos the latest time to return, on the {@link #nanoTime()} base, or
     *     {@link #NO_DEADLINE}
     */
    void park(Object blocker, long deadlineNanos);

    /**
     * Makes {@code thread}'s current or next {@link #park} return.
     *
     * @param thread the thread to wake; if it is not parked now, its next park returns at once
     */
    void unpark(Thread thread);

    /**
     * Interrupts {@code thread} and makes its current {@link #park} return.
     *
     * @param thread the thread to interrupt, parked or not
     */
    void interrupt(Thread thread);

    /**
     * Waits {@code duration} on this clock: what a handler uses instead of {@link Thread#sleep}, so
     * that a virtual clock sees the wait.
     *
     * @param duration how long to wait, in this clock's time
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    default void sleep(Duration duration) throws InterruptedException {
        long deadline = Waits.deadline(nanoTime(), duration);
        Waits.sleepUntil(this, "sleep " + duration, deadline);
    }

    /**
     * Runs {@code action} once, as soon as this clock reaches {@code deadlineNanos} ({@link #nanoTime()}
     * base; a deadline already passed runs it as soon as possible), unless the returned timer is
     * {@linkplain Timer#cancel() cancelled} first.
     *
     * <p>The action must be short and must not block or wait on this clock: it sets a flag,
     * unparks or interrupts a thread. It runs on a thread of the clock's choosing (the system
     * clock: one scheduler thread shared by every bot; a virtual clock: the thread that moves time,
     * at that virtual instant). What it throws is logged at ERROR, never lost, and ends nothing else.
     *
     * <p>The default implementation waits for the deadline in a thread of {@link #threadFactory},
     * so that any clock has timers; the system clock and the virtual clock replace it with a queue.
     *
     * @param action what to run at the deadline: short, never blocking
     * @param deadlineNanos when to run it, on the {@link #nanoTime()} base
     * @return the timer, to cancel the action before it runs
     * @throws IllegalArgumentException if {@code deadlineNanos} is {@link #NO_DEADLINE}
     */
    default Timer schedule(Runnable action, long deadlineNanos) {
        return Waits.scheduleOnThread(this, action, deadlineNanos);
    }

    /**
     * An action scheduled by {@link #schedule}. Thread-safe.
     */
    interface Timer {
        /**
         * Keeps the action from running if it has not started yet; does nothing otherwise.
         *
         * @return whether this call kept it from running (false: it ran, is running, or was
         *     already cancelled)
         */
        boolean cancel();
    }

    /**
     * The source of randomness for retry waits: a virtual clock makes it reproducible.
     *
     * @return a generator to draw from in the calling thread (the system clock's is the thread's
     *     {@link java.util.concurrent.ThreadLocalRandom}, not to be handed to another thread); a
     *     virtual clock's is seeded, so its draws repeat run after run
     */
    RandomGenerator random();

    /**
     * Why a thread parks, passed as the blocker: {@code repeatsForever} marks the interval wait of an
     * emit without a count, which a virtual clock may treat as periodic work.
     *
     * @param description what the thread waits for, in words: the reason's {@code toString()}
     * @param repeatsForever whether this is the interval wait of an emit that has no count
     */
    record WaitReason(String description, boolean repeatsForever) {
        @Override
        public String toString() {
            return description;
        }
    }
}
