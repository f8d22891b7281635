package dev.exmachina.core;

import org.jspecify.annotations.Nullable;

/**
 * The code of an execute: takes an argument, returns a result, may fail. Called once per attempt,
 * possibly on several threads at once.
 *
 * @param <A> the argument type
 * @param <R> the result type
 */
@FunctionalInterface
public interface ExecuteHandler<A extends @Nullable Object, R extends @Nullable Object> {
    /**
     * Runs one attempt.
     *
     * @param argument what the caller passed to {@link Execute#call} or {@link Event#execute}
     * @return the attempt's result, returned to the caller
     * @throws Exception a failure, which the execute's retry rules may retry
     */
    R apply(A argument) throws Exception;
}
