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
}
