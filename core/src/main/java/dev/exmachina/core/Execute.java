package dev.exmachina.core;

import org.jspecify.annotations.Nullable;

/**
 * A registered one-shot task: each call takes the execute's concurrent groups for every attempt
 * and retries failures by its {@link dev.exmachina.retry.Retry}.
 *
 * <p><b>Concurrency.</b> Thread-safe: any number of threads may call it at once, within the limits
 * of its groups. Called directly it runs in the calling thread; {@link Event#execute} runs it in a
 * new thread of the emit.
 *
 * @param <A> the argument type
 * @param <R> the result type
 */
public interface Execute<A extends @Nullable Object, R extends @Nullable Object> {

    /**
     * The name it was registered under, unique among the bot's executes.
     *
     * @return the execute's name
     */
    String name();

    /**
     * Runs the execute in this thread: waits for its groups, runs the handler, retries by its policy
     * (holding no slot while it waits between attempts).
     *
     * @param argument passed to the handler, on every attempt
     * @return the handler's result
     * @throws Exception the last attempt's failure, unchanged, when no retry rule applies to it
     */
    R call(A argument) throws Exception;

    /**
     * The clock of the bot this execute belongs to, which every wait of a call goes through. Code
     * that runs a call on a thread of its own, on behalf of another caller (a coroutine, say), makes
     * that thread with this clock's {@link BotClock#threadFactory}, so that a virtual clock sees its
     * waits.
     *
     * @return the bot's clock; the system clock for an implementation from outside the library
     */
    default BotClock clock() {
        return BotClock.system();
    }
}
