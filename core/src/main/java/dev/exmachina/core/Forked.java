package dev.exmachina.core;

import org.jspecify.annotations.Nullable;

/**
 * An execute forked by {@link Event#execute}: it runs in its own thread, within the emit's run. It
 * may outlive the iteration that forked it, not the emit: the emit's run ends only after it has.
 *
 * <p><b>Concurrency.</b> Thread-safe. A failure that nobody {@linkplain #join() joins} is logged at
 * ERROR once, when both the execute and the iteration that forked it have ended: no failure is
 * silently lost.
 *
 * @param <R> the result type
 */
public interface Forked<R extends @Nullable Object> {

    /**
     * The execute's name.
     *
     * @return the name given to {@link Machina#execute}, as events and logs report it
     */
    String name();

    /**
     * Waits for the execute to finish.
     *
     * @return its result
     * @throws Exception the execute's failure, unchanged
     * @throws java.util.concurrent.CancellationException if it was {@linkplain #cancel() cancelled}
     *     before it finished
     * @throws InterruptedException if this thread is interrupted while waiting
     */
    R join() throws Exception;

    /**
     * Whether the execute has finished: returned, thrown, or ended after a {@link #cancel()}. Never
     * waits.
     *
     * @return whether {@link #join()} returns or throws at once
     */
    boolean isDone();

    /**
     * Before the execute has finished: interrupts it if it is running, or keeps it from starting, and
     * {@link #join()} then throws {@link java.util.concurrent.CancellationException}. After it has
     * finished: does nothing, as {@code Future.cancel} does nothing after completion; {@code join()}
     * gives its result or throws its failure. An execute waiting for its reserved start in a window
     * gives that start back before {@code cancel()} returns, so a call made next can take it at once.
     */
    void cancel();

    /**
     * The clock of the bot that forked this execute, which {@link #join()} waits on. Code that
     * joins on a thread of its own, on behalf of another caller (a coroutine, say), makes that
     * thread with this clock's {@link BotClock#threadFactory}, so that a virtual clock sees the wait.
     *
     * @return the bot's clock; the system clock for an implementation from outside the library
     */
    default BotClock clock() {
        return BotClock.system();
    }
}
