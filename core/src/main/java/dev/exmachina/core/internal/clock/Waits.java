package dev.exmachina.core.internal.clock;

import dev.exmachina.core.BotClock;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting on a {@link BotClock}: the loops around its park that every blocking point of core uses. */
public final class Waits {

    private Waits() {}

    /**
     * Waits until {@code done} holds or {@code deadline} passes. {@code done} must be made true by
     * a thread that then unparks the waiter through the same clock.
     *
     * @return whether {@code done} holds (false: the deadline passed)
     * @throws InterruptedException if the thread is interrupted first (the flag is cleared)
     */
    public static boolean await(BotClock clock, Object blocker, BooleanSupplier done, long deadline)
            throws InterruptedException {
        while (!done.getAsBoolean()) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (deadline != BotClock.NO_DEADLINE && clock.nanoTime() - deadline >= 0) {
                return false;
            }
            clock.park(blocker, deadline);
        }
        return true;
    }

    /** The default {@link BotClock#schedule}: a clock thread waits for the deadline. */
    public static BotClock.Timer scheduleOnThread(BotClock clock, Runnable action, long deadline) {
        return new ThreadTimer(clock, action, deadline);
    }

    /** Waits until {@code deadline} passes. */
    public static void sleepUntil(BotClock clock, Object blocker, long deadline) throws InterruptedException {
        await(clock, blocker, () -> false, deadline);
    }

    /**
     * Waits until {@code done} holds, through interrupts: used where leaving early would leak a
     * thread, such as a scope owner waiting for its children. The interrupt flag is restored.
     */
    public static void awaitUninterruptibly(BotClock clock, Object blocker, BooleanSupplier done) {
        awaitUninterruptibly(clock, blocker, done, BotClock.NO_DEADLINE);
    }

    /**
     * {@link #awaitUninterruptibly(BotClock, Object, BooleanSupplier)} parking at most until
     * {@code deadline} each time: {@code done} should include the deadline when it matters.
     */
    static void awaitUninterruptibly(BotClock clock, Object blocker, BooleanSupplier done, long deadline) {
        boolean interrupted = false;
        while (!done.getAsBoolean()) {
            if (Thread.interrupted()) {
                interrupted = true;
            }
            clock.park(blocker, deadline);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code now + duration} in nanoseconds, saturating below {@link BotClock#NO_DEADLINE}. */
    public static long deadline(long now, Duration duration) {
        long nanos;
        try {
            nanos = duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return BotClock.NO_DEADLINE - 1;
        }
        long sum = now + nanos;
        return ((now ^ sum) & (nanos ^ sum)) < 0 || sum == BotClock.NO_DEADLINE ? BotClock.NO_DEADLINE - 1 : sum;
    }
}
