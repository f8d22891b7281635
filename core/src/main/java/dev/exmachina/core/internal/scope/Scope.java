package dev.exmachina.core.internal.scope;

/**
 * A structured scope: children forked by its owner run on threads of the bot's clock, and
 * {@link #close()} returns only when every child has finished, waiting on the clock.
 *
 * <p><b>Concurrency.</b> Only the owner (the thread that opened it) forks and closes; {@link #live()}
 * may be read by any thread. Whatever a task throws is handed to the scope's {@code escaped}
 * handler on the task's thread, so that it reaches the supervisor and {@code run()}.
 *
 * <p>Two implementations keep these guarantees: one on the JDK's structured concurrency (JDK 25 started
 * with {@code --enable-preview}; a JDK 25 entry of the multi-release jar) and one on plain virtual
 * threads (every other JVM from 21); {@link Scopes} chooses once per JVM.
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
