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
    R apply(A argument) throws Exception;
}
