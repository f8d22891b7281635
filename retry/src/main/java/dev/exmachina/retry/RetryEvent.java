package dev.exmachina.retry;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One retry granted by a {@link Retry}: an immutable record of what failed, which rule decided,
 * and how long the caller is about to wait.
 *
 * @param failure the failure of the attempt that is about to be retried
 * @param rule the rule that granted the retry
 * @param retry the number of this retry within {@code rule}'s budget for the call, from 1
 * @param waitTime the wait before the next attempt (named so because a record component cannot be
 *     called {@code wait})
 * @param retriesLeft retries {@code rule} still grants in this call after this one, {@code null}
 *     when it grants unlimited retries
 */
public record RetryEvent(Throwable failure, RetryRule<?> rule, int retry, Duration waitTime,
        @Nullable Integer retriesLeft) {
    /** Checks the components: none {@code null} but {@code retriesLeft}, {@code retry >= 1}. */
    public RetryEvent {
        Objects.requireNonNull(failure, "failure must not be null");
        Objects.requireNonNull(rule, "rule must not be null");
        Objects.requireNonNull(waitTime, "waitTime must not be null");
        Checks.retryNumber(retry);
    }
}
