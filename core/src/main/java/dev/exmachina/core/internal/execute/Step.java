package dev.exmachina.core.internal.execute;

import dev.exmachina.core.internal.execute.policy.Deadline;
import org.jspecify.annotations.Nullable;

/**
 * What runs inside a policy: the rest of the chain and, innermost, the handler. A policy's step
 * calls its inner step (once, several times, or not at all) and sees its outcome: the value
 * returned, or the exception thrown.
 *
 * <p><b>Outcomes</b> a step inside admission may throw without an attempt having started: an
 * {@link InterruptedException} or a {@link java.util.concurrent.CancellationException} (the call
 * was cancelled while it waited), a {@link dev.exmachina.core.GroupWaitTimeoutException} or a
 * {@link dev.exmachina.core.CallTimeoutException} (it waited too long), or what a group backend
 * threw. Once started, the handler's own failure, an {@link dev.exmachina.core.AttemptTimeoutException}
 * or a {@link dev.exmachina.core.CallTimeoutException}.
 *
 * <p>A call passes its state down as arguments, so a call through the chain allocates nothing for
 * it: the argument, the token that tells a cancel, the call's deadline, and the attempt's number.
 *
 * @param <A> the execute's argument
 * @param <R> the execute's result
 */
@FunctionalInterface
public interface Step<A extends @Nullable Object, R extends @Nullable Object> {

    /**
     * Runs the inner part of the chain for one call.
     *
     * @param argument what the caller passed
     * @param token tells whether the work the call belongs to was cancelled (a fork's handle)
     * @param deadline the call's deadline, {@link Deadline#NONE} without a call timeout
     * @param attempt the attempt's number in its call: 1 for the first, 2 for the first retry, …
     * @return the handler's result
     * @throws Exception the attempt's failure, as it was
     */
    R run(A argument, Cancellation token, Deadline deadline, int attempt) throws Exception;

    /** The failure as it was: checked exceptions and errors alike pass through unwrapped. */
    static Exception rethrow(Throwable failure) {
        if (failure instanceof Error error) {
            throw error;
        }
        if (failure instanceof Exception exception) {
            return exception;
        }
        return new RuntimeException(failure);
    }
}
