package dev.exmachina.core.internal;

import dev.exmachina.core.BotClock;
import java.time.Instant;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.random.RandomGenerator;

/**
 * The real clock. The only class of core that parks a thread directly: it is the clock SPI's real
 * implementation, so every other wait in core goes through it.
 */
public final class SystemClock implements BotClock {

    public static final SystemClock INSTANCE = new SystemClock();

    private SystemClock() {}

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
