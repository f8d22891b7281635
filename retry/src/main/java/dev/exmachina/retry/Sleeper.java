package dev.exmachina.retry;

import java.time.Duration;

/**
 * Waits between attempts of {@link Retry#call(java.util.concurrent.Callable, Sleeper,
 * java.util.random.RandomGenerator)}. {@code Thread::sleep} is the real one; tests and the core
 * module pass one that waits on a clock of their own, so the retry module never touches time.
 */
@FunctionalInterface
public interface Sleeper {
    /**
     * Blocks for {@code duration}.
     *
     * @param duration how long to wait, never negative
     * @throws InterruptedException if the waiting thread is interrupted; the retry loop then stops
     */
    void sleep(Duration duration) throws InterruptedException;
}
