package dev.exmachina.testkit;

import dev.exmachina.core.BotClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadFactory;
import java.util.random.RandomGenerator;

/** A virtual clock whose wall time can jump while its monotonic time goes on: a wall clock set by hand or by NTP. */
final class ShiftedWallClock implements BotClock {

    private final VirtualClock clock;
    private volatile Duration shift = Duration.ZERO;

    ShiftedWallClock(VirtualClock clock) {
        this.clock = clock;
    }

    /** Moves the wall clock by {@code by} from now on; the monotonic time does not move. */
    void shift(Duration by) {
        shift = shift.plus(by);
    }

    @Override
    public long nanoTime() {
        return clock.nanoTime();
    }

    @Override
    public Instant instant() {
        return clock.instant().plus(shift);
    }

    @Override
    public ThreadFactory threadFactory(String name) {
        return clock.threadFactory(name);
    }

    @Override
    public void park(Object blocker, long deadlineNanos) {
        clock.park(blocker, deadlineNanos);
    }

    @Override
    public void unpark(Thread thread) {
        clock.unpark(thread);
    }

    @Override
    public void interrupt(Thread thread) {
        clock.interrupt(thread);
    }

    @Override
    public Timer schedule(Runnable action, long deadlineNanos) {
        return clock.schedule(action, deadlineNanos);
    }

    @Override
    public RandomGenerator random() {
        return clock.random();
    }
}
