package dev.exmachina.core;

import org.jspecify.annotations.Nullable;

/**
 * An execute forked by {@link Event#execute}: it runs in its own thread, within the emit's
 * iteration, which does not end before it has.
 *
 * <p><b>Concurrency.</b> Thread-safe. A failure that nobody {@linkplain #join() joins} is logged at
 * ERROR once when the iteration ends: no failure is silently lost.
 *
 * @param <R> the result type
 */
public interface Forked<R extends @Nullable Object> {

    /** The execute's name. */
    String name();

    /**
     * Waits for the execute to finish.
     *
     * @return its result
     * @throws Exception the execute's failure, unchanged
     * @throws java.util.concurrent.CancellationException if it was {@linkplain #cancel() cancelled}
     * @throws InterruptedException if this thread is interrupted while waiting
     */
    R join() throws Exception;

    boolean isDone();

    /** Interrupts the execute if it is running, or keeps it from starting; {@link #join()} then throws. */
    void cancel();
}
