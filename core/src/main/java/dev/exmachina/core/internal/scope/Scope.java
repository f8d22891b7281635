package dev.exmachina.core.internal.scope;

/**
 * A structured scope: children forked by its owner run on threads of the bot's clock, and
 * {@link #close()} returns only when every child has finished, waiting on the clock.
 *
 * <p><b>Concurrency.</b> Only the owner (the thread that opened it) forks and closes; {@link #live()}
 * may be read by any thread. Tasks must not throw: failures are handled by the task itself.
 */
public interface Scope extends AutoCloseable {

    /** Runs {@code task} in a new thread of this scope. Owner only. */
    void fork(Runnable task);

    /** Children forked and not yet finished. */
    int live();

    /** Waits on the clock, through interrupts, until every child has finished. */
    void awaitChildren();

    /** Waits for every child, then closes. Owner only. */
    @Override
    void close();
}
