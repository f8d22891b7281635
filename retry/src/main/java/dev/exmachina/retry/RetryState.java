package dev.exmachina.retry;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * The retry decisions of one call: which rule has granted how many retries so far. Obtained from
 * {@link Retry#start(RandomGenerator)}, one per call. <em>Not thread-safe</em>: a call's attempts
 * run one after another, so a state belongs to the thread making the call.
 *
 * <p>Drive it like this (what {@link Retry#call} does, and what a caller with its own clock does):
 * <pre>{@code
 * RetryState state = retry.start(random);
 * while (true) {
 *     try {
 *         return attempt();
 *     } catch (Exception failure) {
 *         Duration wait = state.onFailure(failure);
 *         if (wait == null) throw failure;   // unchanged: no rule applies
 *         clock.sleep(wait);
 *     }
 * }
 * }</pre>
 */
public final class RetryState {
    private final List<RetryRule<?>> rules;
    private final RetryListener listener;
    private final RandomGenerator random;
    /** Retries granted so far by each rule, by index in {@link #rules}. */
    private final int[] granted;
    private int retries;

    RetryState(List<RetryRule<?>> rules, RetryListener listener, RandomGenerator random) {
        this.rules = rules;
        this.listener = listener;
        this.random = random;
        this.granted = new int[rules.size()];
    }

    /**
     * Decides whether to retry after {@code failure}. The rules are asked in order; the first that
     * {@linkplain RetryRule#matches(Throwable) matches} the failure and still has retries left in
     * this call decides (a rule's filter is asked before its budget is checked, so it sees every
     * failure of its type, also once its retries are spent): one of its retries is used, the listener is told, and its wait is
     * returned: the one the failure asks for when the rule {@linkplain RetryRule#waitFrom(java.util.function.Function)
     * reads one from it}, else the rule's backoff. A matching rule whose budget is spent is passed over, so a later rule may decide.
     *
     * <p>An {@link InterruptedException} is never retried, whatever the rules say: it means the
     * thread was asked to stop, and retrying would swallow that request.
     *
     * <p>If a rule's filter or the listener throws, that exception propagates with
     * {@code failure} added as suppressed, so neither is lost.
     *
     * @param failure the failure of the attempt that just ended
     * @return the wait before the next attempt, or {@code null} if no rule applies: the caller
     *     should then rethrow {@code failure} unchanged
     */
    public @Nullable Duration onFailure(Throwable failure) {
        Objects.requireNonNull(failure, "failure must not be null");
        if (failure instanceof InterruptedException) {
            return null;
        }
        try {
            for (int i = 0; i < rules.size(); i++) {
                RetryRule<?> rule = rules.get(i);
                Integer budget = rule.retries();
                // The filter is asked before the budget is checked, as in exmachina: a filter
                // with side effects (counting, logging) sees every failure of its type.
                if (!rule.matches(failure) || (budget != null && granted[i] >= budget)) {
                    continue;
                }
                int retry = ++granted[i];
                retries++;
                Duration wait = rule.waitBefore(retry, failure, random);
                listener.onRetry(new RetryEvent(failure, rule, retry, wait, budget == null ? null : budget - retry));
                return wait;
            }
            return null;
        } catch (RuntimeException | Error fromUserCode) {
            if (fromUserCode != failure) {
                fromUserCode.addSuppressed(failure);
            }
            throw fromUserCode;
        }
    }

    /**
     * Retries granted so far in this call, by all rules together.
     *
     * @return the number of retries granted
     */
    public int retries() {
        return retries;
    }
}
